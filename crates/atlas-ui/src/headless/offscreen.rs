//! Renders egui output off screen with the window's GPU device (story slides at 1920×1080).

use eframe::egui;
use eframe::egui_wgpu::{self, wgpu};

/// Renders egui output off screen with the window's GPU device, into an RGBA image.
pub struct Offscreen {
    device: wgpu::Device,
    queue: wgpu::Queue,
    renderer: egui_wgpu::Renderer,
}

const FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8UnormSrgb;

impl Offscreen {
    pub fn new(state: &egui_wgpu::RenderState) -> Self {
        let renderer = egui_wgpu::Renderer::new(&state.device, FORMAT, egui_wgpu::RendererOptions::default());
        Self { device: state.device.clone(), queue: state.queue.clone(), renderer }
    }

    /// Uploads a pass's texture changes (fonts, images); call for every pass, not only the rendered one.
    pub fn textures(&mut self, delta: &mut egui::TexturesDelta) {
        for (id, images) in delta.set.drain() {
            for image in images {
                self.renderer.update_texture(&self.device, &self.queue, id, &image);
            }
        }
        for id in delta.free.drain() {
            self.renderer.free_texture(&id);
        }
    }

    pub fn render(
        &mut self,
        ctx: &egui::Context,
        mut output: egui::FullOutput,
        size: [u32; 2],
    ) -> Result<egui::ColorImage, String> {
        self.textures(&mut output.textures_delta);
        let ppp = output.pixels_per_point;
        let jobs = ctx.tessellate(output.shapes, ppp);
        let screen = egui_wgpu::ScreenDescriptor { size_in_pixels: size, pixels_per_point: ppp };
        let mut encoder = self.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: Some("slide") });
        let buffers = self.renderer.update_buffers(&self.device, &self.queue, &mut encoder, &jobs, &screen);
        let texture = self.device.create_texture(&wgpu::TextureDescriptor {
            label: Some("slide"),
            size: wgpu::Extent3d { width: size[0], height: size[1], depth_or_array_layers: 1 },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: FORMAT,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
            view_formats: &[],
        });
        let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
        let fill = ctx.global_style().visuals.panel_fill;
        let clear = wgpu::Color {
            r: f64::from(fill.r()) / 255.0,
            g: f64::from(fill.g()) / 255.0,
            b: f64::from(fill.b()) / 255.0,
            a: 1.0,
        };
        {
            let mut pass = encoder
                .begin_render_pass(&wgpu::RenderPassDescriptor {
                    label: Some("slide"),
                    color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                        view: &view,
                        resolve_target: None,
                        ops: wgpu::Operations { load: wgpu::LoadOp::Clear(clear), store: wgpu::StoreOp::Store },
                        depth_slice: None,
                    })],
                    ..Default::default()
                })
                .forget_lifetime();
            self.renderer.render(&mut pass, &jobs, &screen);
        }
        // Copy to a buffer whose rows are padded as wgpu requires.
        let unpadded = size[0] as usize * 4;
        let align = wgpu::COPY_BYTES_PER_ROW_ALIGNMENT as usize;
        let padded = unpadded.div_ceil(align) * align;
        let buffer = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("slide pixels"),
            size: (padded * size[1] as usize) as u64,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        encoder.copy_texture_to_buffer(
            texture.as_image_copy(),
            wgpu::TexelCopyBufferInfo {
                buffer: &buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(padded as u32),
                    rows_per_image: None,
                },
            },
            wgpu::Extent3d { width: size[0], height: size[1], depth_or_array_layers: 1 },
        );
        let index = self.queue.submit(buffers.into_iter().chain(std::iter::once(encoder.finish())));
        let slice = buffer.slice(..);
        let (tx, rx) = std::sync::mpsc::channel();
        slice.map_async(wgpu::MapMode::Read, move |r| drop(tx.send(r)));
        self.device
            .poll(wgpu::PollType::Wait {
                submission_index: Some(index),
                timeout: Some(std::time::Duration::from_secs(30)),
            })
            .map_err(|e| format!("the GPU did not finish the slide ({e})"))?;
        rx.recv().map_err(|e| e.to_string())?.map_err(|e| e.to_string())?;
        let data = slice.get_mapped_range().map_err(|e| format!("cannot read the slide back ({e:?})"))?;
        let pixels: Vec<u8> = data.chunks_exact(padded).flat_map(|row| row.iter().take(unpadded)).copied().collect();
        drop(data);
        buffer.unmap();
        Ok(egui::ColorImage::from_rgba_unmultiplied([size[0] as usize, size[1] as usize], &pixels))
    }
}
