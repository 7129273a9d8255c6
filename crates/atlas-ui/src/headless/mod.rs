//! Tooling for running the window without a person: the probe modes (start-up, idle, frame cost, tour), screenshots,
//! the renderer choice and off-screen rendering of slides.

pub mod offscreen;
pub mod probe;
pub mod renderer;
pub mod screenshot;
