//! A word cloud: the most frequent words largest (by the square root of their count), placed on a spiral out from
//! the centre without overlapping, in colours that keep their contrast on the light and the dark theme. The same
//! words in the same space always give the same picture (the layout is kept until they change). A screen reader
//! reads the words with their counts.

use std::hash::{Hash, Hasher};

use eframe::egui::{self, Color32, FontId, Pos2, Rect, Vec2};

/// Words drawn at most (the rest are in the CSV export).
pub const MAX_WORDS: usize = 60;

const LIGHT: [Color32; 6] = [
    Color32::from_rgb(0x1f, 0x4e, 0x79),
    Color32::from_rgb(0x8c, 0x3b, 0x00),
    Color32::from_rgb(0x1e, 0x6b, 0x1e),
    Color32::from_rgb(0x6a, 0x2c, 0x91),
    Color32::from_rgb(0x9b, 0x1b, 0x30),
    Color32::from_rgb(0x00, 0x54, 0x5e),
];
const DARK: [Color32; 6] = [
    Color32::from_rgb(0x9e, 0xcb, 0xff),
    Color32::from_rgb(0xff, 0xc3, 0x8a),
    Color32::from_rgb(0x9b, 0xe5, 0x9b),
    Color32::from_rgb(0xd4, 0xb3, 0xff),
    Color32::from_rgb(0xff, 0x9f, 0xb0),
    Color32::from_rgb(0x7f, 0xe3, 0xee),
];

/// One placed word: its index in the list, its offset from the cloud's top left, its font size.
#[derive(Clone, Debug)]
struct Placed {
    word: usize,
    at: Vec2,
    size: f32,
}

/// Draws the cloud of `words` (most frequent first) in `size`; returns its rectangle (for a PNG of it).
pub fn word_cloud(ui: &mut egui::Ui, salt: &str, words: &[(String, usize)], size: Vec2, label: &str) -> Rect {
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
    let spoken: Vec<String> = words.iter().take(MAX_WORDS).map(|(w, n)| format!("{w} ({n})")).collect();
    let said = format!("{label}: {}", if spoken.is_empty() { "no words yet".to_owned() } else { spoken.join(", ") });
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &said));
    let words = &words[..words.len().min(MAX_WORDS)];
    if words.is_empty() || !ui.is_rect_visible(rect) {
        return rect;
    }
    let key = {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (words, size.x.to_bits(), size.y.to_bits()).hash(&mut h);
        egui::Id::unique(("word_cloud", salt, h.finish()))
    };
    let placed = match ui.data(|d| d.get_temp::<std::sync::Arc<Vec<Placed>>>(key)) {
        Some(p) => p,
        None => {
            let p = std::sync::Arc::new(layout(ui, words, size));
            ui.data_mut(|d| d.insert_temp(key, p.clone()));
            p
        }
    };
    let palette = if ui.visuals().dark_mode { DARK } else { LIGHT };
    let painter = ui.painter_at(rect);
    for p in placed.iter() {
        let (word, _) = &words[p.word];
        let color = palette[p.word % palette.len()];
        painter.text(rect.min + p.at, egui::Align2::LEFT_TOP, word, FontId::proportional(p.size), color);
    }
    rect
}

/// The font size of a word counted `n` times when the most frequent is counted `most`.
fn font_size(n: usize, most: usize, smallest: f32, largest: f32) -> f32 {
    if most <= 1 {
        return (smallest + largest) / 2.0;
    }
    let t = ((n.saturating_sub(1)) as f32 / (most - 1) as f32).sqrt();
    smallest + (largest - smallest) * t
}

/// Places the words; a scale that leaves words out is tried smaller (five times at most).
fn layout(ui: &egui::Ui, words: &[(String, usize)], size: Vec2) -> Vec<Placed> {
    let most = words.first().map_or(1, |(_, n)| *n);
    let mut largest = (size.y / 4.0).clamp(14.0, 96.0);
    let mut best = Vec::new();
    for _ in 0..5 {
        let smallest = (largest / 4.0).max(11.0);
        let placed = place(ui, words, size, |n| font_size(n, most, smallest, largest));
        let all = placed.len() == words.len();
        if placed.len() > best.len() {
            best = placed;
        }
        if all {
            break;
        }
        largest *= 0.8;
    }
    best
}

fn place(ui: &egui::Ui, words: &[(String, usize)], size: Vec2, font: impl Fn(usize) -> f32) -> Vec<Placed> {
    let bounds = Rect::from_min_size(Pos2::ZERO, size);
    let centre = bounds.center();
    let aspect = (size.x / size.y.max(1.0)).clamp(0.5, 4.0);
    let mut taken: Vec<Rect> = Vec::new();
    let mut out = Vec::new();
    for (i, (word, n)) in words.iter().enumerate() {
        let px = font(*n);
        let galley = ui.painter().layout_no_wrap(word.clone(), FontId::proportional(px), Color32::WHITE);
        let wh = galley.size();
        if wh.x > size.x || wh.y > size.y {
            continue;
        }
        let mut t = 0.0f32;
        while t < 200.0 {
            let r = 2.0 * t;
            let at = centre + Vec2::new(r * t.cos() * aspect, r * t.sin()) - wh / 2.0;
            let candidate = Rect::from_min_size(at, wh);
            if bounds.contains_rect(candidate) && !taken.iter().any(|o| o.expand(2.0).intersects(candidate)) {
                taken.push(candidate);
                out.push(Placed { word: i, at: at.to_vec2(), size: px });
                break;
            }
            t += 0.05 + 0.5 / (1.0 + t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_frequent_word_is_largest() {
        assert_eq!(font_size(5, 5, 10.0, 40.0), 40.0);
        assert_eq!(font_size(1, 5, 10.0, 40.0), 10.0);
        assert!(font_size(3, 5, 10.0, 40.0) > 25.0);
        assert_eq!(font_size(1, 1, 10.0, 40.0), 25.0);
    }
}
