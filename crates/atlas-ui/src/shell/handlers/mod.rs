//! One short handler per command area. Each applies a command through the session (the only writer) and updates
//! the UI state or the per-database runtime; failures become the message line.

mod answers;
mod assess;
mod codings;
mod files;
mod nav;
mod notes;
mod rounds;
mod stories;
