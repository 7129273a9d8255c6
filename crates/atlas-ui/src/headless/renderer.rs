//! Which graphics backend the window asks wgpu for.
//!
//! wgpu's default on Linux starts both its Vulkan and its OpenGL backend and then picks one; starting OpenGL too
//! loads a second driver stack (EGL, Mesa's GL driver), which costs start-up time and memory. When a Vulkan driver
//! is installed, the window asks for Vulkan only, and if that fails it starts again with both. `WGPU_BACKEND` set
//! by the user always wins.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use eframe::egui_wgpu::{WgpuConfiguration, WgpuSetup, wgpu};

/// Set on the relaunch after a Vulkan-only start failed, so it is tried once.
const RETRY_ENV: &str = "INTEGRATION_ATLAS_RENDERER_RETRY";

/// The renderer configuration: Vulkan alone when `vulkan_only` (see [`vulkan_only`]), else wgpu's default.
pub fn wgpu_options(vulkan_only: bool) -> WgpuConfiguration {
    let mut config = WgpuConfiguration::default();
    if vulkan_only && let WgpuSetup::CreateNew(setup) = &mut config.wgpu_setup {
        setup.instance_descriptor.backends = wgpu::Backends::VULKAN;
    }
    config
}

/// Whether this start asks for Vulkan alone.
pub fn vulkan_only() -> bool {
    cfg!(target_os = "linux")
        && std::env::var_os("WGPU_BACKEND").is_none()
        && std::env::var_os(RETRY_ENV).is_none()
        && vulkan_driver_installed()
}

/// After a Vulkan-only start failed to create its renderer: runs this program again with every backend (OpenGL
/// included) and returns its exit status.
pub fn relaunch_with_all_backends() -> Option<std::process::ExitStatus> {
    let exe = std::env::current_exe().ok()?;
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    std::process::Command::new(exe).args(args).env(RETRY_ENV, "1").status().ok()
}

/// A Vulkan driver manifest (ICD) in the places the Vulkan loader looks, or a driver named by the environment.
fn vulkan_driver_installed() -> bool {
    if std::env::var_os("VK_ICD_FILENAMES").is_some() || std::env::var_os("VK_DRIVER_FILES").is_some() {
        return true;
    }
    let list = |name: &str, default: &str| -> Vec<PathBuf> {
        let value = std::env::var(name).ok().filter(|v| !v.is_empty()).unwrap_or_else(|| default.to_owned());
        value.split(':').filter(|d| !d.is_empty()).map(PathBuf::from).collect()
    };
    let mut dirs: Vec<PathBuf> = Vec::new();
    dirs.extend(list("XDG_CONFIG_DIRS", "/etc/xdg"));
    dirs.push(PathBuf::from("/etc"));
    dirs.extend(list("XDG_DATA_DIRS", "/usr/local/share:/usr/share"));
    dirs.iter().any(|d| has_manifest(&d.join("vulkan/icd.d")))
}

fn has_manifest(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| e.path().extension().is_some_and(|x| x.eq_ignore_ascii_case("json")))
    })
}
