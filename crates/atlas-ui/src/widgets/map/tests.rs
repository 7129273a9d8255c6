//! Tests of the map widget: projection, geometry, hit-testing, zoom and pan.

use super::geometry::*;
use super::*;

/// A region from rings of (lon, lat), one polygon.
fn region(code: &str, rings: Vec<Vec<[f64; 2]>>) -> MapRegion {
    MapRegion { code: code.into(), name: format!("Region {code}"), country: "TST".into(), polygons: vec![rings] }
}

fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<[f64; 2]> {
    vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
}

/// An L: the 2×2 square at (0, 0)..(2, 2) without its top-right quarter.
fn l_shape() -> Vec<[f64; 2]> {
    vec![[0.0, 0.0], [2.0, 0.0], [2.0, 1.0], [1.0, 1.0], [1.0, 2.0], [0.0, 2.0], [0.0, 0.0]]
}

#[test]
fn concave_l_shape_is_triangulated_and_hit_tested() {
    let g = MapGeometry::new(vec![region("L", vec![l_shape()])]);
    assert_eq!(g.len(), 1);
    // A simple polygon with n vertices has n − 2 triangles; the closing point is not a vertex.
    assert_eq!(g.triangle_count(), 4);
    assert_eq!(g.region_at(0.5, 0.5), Some("L"));
    assert_eq!(g.region_at(1.5, 0.5), Some("L"));
    assert_eq!(g.region_at(0.5, 1.5), Some("L"));
    // The notch of the L is outside, although it is inside the bounding box.
    assert_eq!(g.region_at(1.5, 1.5), None);
    // The triangles cover exactly the L (area 3), not its convex hull (area 3.5).
    assert!((triangulated_area(&g) - 3.0 * X_SCALE).abs() < 1e-4);
}

#[test]
fn square_with_hole_is_triangulated_and_hole_is_not_inside() {
    let outer = square(0.0, 0.0, 10.0, 10.0);
    let hole = square(4.0, 4.0, 6.0, 6.0);
    let g = MapGeometry::new(vec![region("H", vec![outer, hole])]);
    // n vertices and h holes: n + 2h − 2 triangles = 8 + 2 − 2.
    assert_eq!(g.triangle_count(), 8);
    assert_eq!(g.region_at(5.0, 5.0), None, "the hole's centre is not in the region");
    assert_eq!(g.region_at(2.0, 5.0), Some("H"));
    assert_eq!(g.region_at(5.0, 8.0), Some("H"));
    assert!((triangulated_area(&g) - 96.0 * X_SCALE).abs() < 1e-3);
}

#[test]
fn region_at_inside_and_outside() {
    let g = MapGeometry::new(vec![
        region("A", vec![square(0.0, 40.0, 10.0, 50.0)]),
        region("B", vec![square(10.0, 40.0, 20.0, 50.0)]),
    ]);
    assert_eq!(g.region_at(5.0, 45.0), Some("A"));
    assert_eq!(g.region_at(15.0, 45.0), Some("B"));
    assert_eq!(g.region_at(25.0, 45.0), None);
    assert_eq!(g.region_at(5.0, 55.0), None);
    assert_eq!(g.region_at(-5.0, 45.0), None);
    assert_eq!(g.region_at(f64::NAN, 45.0), None);
    assert_eq!(g.region_name("B"), Some(("Region B", "TST")));
}

#[test]
fn multipolygon_region_is_hit_in_every_part() {
    let g = MapGeometry::new(vec![MapRegion {
        code: "M".into(),
        name: "Islands".into(),
        country: "TST".into(),
        polygons: vec![vec![square(0.0, 0.0, 1.0, 1.0)], vec![square(5.0, 0.0, 6.0, 1.0)]],
    }]);
    assert_eq!(g.triangle_count(), 4);
    assert_eq!(g.region_at(0.5, 0.5), Some("M"));
    assert_eq!(g.region_at(5.5, 0.5), Some("M"));
    assert_eq!(g.region_at(3.0, 0.5), None);
}

#[test]
fn degenerate_rings_are_skipped_without_panicking() {
    let nan = f64::NAN;
    let g = MapGeometry::new(vec![
        // Too few points.
        region("TWO", vec![vec![[0.0, 0.0], [1.0, 1.0]]]),
        region("EMPTY", vec![vec![]]),
        MapRegion { code: "NONE".into(), name: String::new(), country: String::new(), polygons: vec![] },
        // Zero area: collinear, and one point repeated.
        region("LINE", vec![vec![[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [0.0, 0.0]]]),
        region("DOT", vec![vec![[3.0, 3.0]; 5]]),
        // Not finite.
        region("NAN", vec![vec![[nan, 0.0], [1.0, nan], [f64::INFINITY, 2.0]]]),
        // Degenerate outer ring: its (valid) hole goes with it.
        region("HOLEONLY", vec![vec![[0.0, 0.0]], square(0.2, 0.2, 0.8, 0.8)]),
    ]);
    assert_eq!(g.len(), 7);
    assert_eq!(g.triangle_count(), 0);
    assert_eq!(g.region_at(0.5, 0.5), None);
    assert_eq!(g.region_at(1.0, 1.0), None);

    // A degenerate hole is dropped and the outer ring is still filled.
    let g = MapGeometry::new(vec![region("OK", vec![square(0.0, 0.0, 4.0, 4.0), vec![[1.0, 1.0], [2.0, 2.0]]])]);
    assert_eq!(g.triangle_count(), 2);
    assert_eq!(g.region_at(1.5, 1.5), Some("OK"));

    // A NaN inside an otherwise good ring is dropped, as is an open (unclosed) ring's lack of closure.
    let g = MapGeometry::new(vec![region("P", vec![vec![[0.0, 0.0], [nan, 9.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0]]])]);
    assert_eq!(g.triangle_count(), 2);
}

#[test]
fn random_rings_never_panic() {
    // Self-intersecting, spiky, duplicated and tiny rings from a fixed pseudo-random sequence.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % 10_000) as f64 / 1000.0
    };
    let regions: Vec<MapRegion> = (0..300)
        .map(|i| {
            let rings = (0..1 + i % 3)
                .map(|_| {
                    let n = (next() * 2.0) as usize;
                    let scale = if i % 5 == 0 { 1e-9 } else { 1.0 };
                    (0..n).map(|_| [next() * scale, next() * scale]).collect()
                })
                .collect();
            region(&i.to_string(), rings)
        })
        .collect();
    let g = MapGeometry::new(regions);
    assert_eq!(g.len(), 300);
    for k in 0..100 {
        let _ = g.region_at(f64::from(k) / 10.0, f64::from(k % 10));
    }
}

#[test]
fn ring_crossing_the_antimeridian_is_unwrapped() {
    let ring = vec![[170.0, 60.0], [-170.0, 60.0], [-170.0, 65.0], [170.0, 65.0], [170.0, 60.0]];
    let g = MapGeometry::new(vec![region("ANTI", vec![ring])]);
    assert_eq!(g.triangle_count(), 2);
    // 20° wide, not 340°.
    let width = g.regions[0].bbox.width() as f64;
    assert!((width - 20.0 * X_SCALE).abs() < 1e-3, "{width}");
    assert_eq!(g.region_at(179.0, 62.0), Some("ANTI"));
    assert_eq!(g.region_at(-175.0, 62.0), Some("ANTI"));
    assert_eq!(g.region_at(0.0, 62.0), None);
}

#[test]
fn europe_view_shows_the_reference_box() {
    let view = MapView::europe();
    assert!((view.center[0] - 11.5).abs() < 1e-9 && (view.center[1] - 52.5).abs() < 1e-9);
    assert!((view.zoom - 1.0).abs() < 1e-6);
    // In a widget of the reference box's aspect ratio, its corners land on the widget's corners.
    let [w, h] = reference_size();
    let rect = Rect::from_min_size(pos2(10.0, 20.0), vec2((w * 20.0) as f32, (h * 20.0) as f32));
    let t = Transform::new(rect, &view);
    let [lon, lat] = t.lon_lat_at(rect.left_bottom());
    assert!((lon - -12.0).abs() < 1e-3 && (lat - 34.0).abs() < 1e-3, "{lon} {lat}");
    let [lon, lat] = t.lon_lat_at(rect.right_top());
    assert!((lon - 35.0).abs() < 1e-3 && (lat - 71.0).abs() < 1e-3, "{lon} {lat}");
    let [x, y] = project(4.9, 52.4);
    let s = t.screen_pos(pos2(x as f32, y as f32));
    let [lon, lat] = t.lon_lat_at(s);
    assert!((lon - 4.9).abs() < 1e-4 && (lat - 52.4).abs() < 1e-4);
}

#[test]
fn bad_views_are_repaired() {
    let mut v = MapView { center: [f64::NAN, 0.0], zoom: 1.0 };
    v.sanitize();
    assert!(v.center[0].is_finite());
    let mut v = MapView { center: [0.0, 200.0], zoom: 1e9 };
    v.sanitize();
    assert_eq!(v.center[1], 90.0);
    assert_eq!(v.zoom, *ZOOM_RANGE.end());
    let v = MapView::fit([5.0, 5.0], [5.0, 5.0]);
    assert!(v.zoom.is_finite());
}

/// Sum of the areas of all triangles, in projected units.
fn triangulated_area(g: &MapGeometry) -> f64 {
    g.regions
        .iter()
        .flat_map(|r| {
            r.indices.chunks_exact(3).map(|t| {
                let [a, b, c] = [0, 1, 2].map(|k| r.vertices[t[k] as usize]);
                f64::from(((b - a).x * (c - a).y - (b - a).y * (c - a).x).abs() / 2.0)
            })
        })
        .sum()
}

// -----------------------------------------------------------------------------------------
// The widget, headless (egui only, no window, no GPU).

/// Runs frames of `show` in a bare egui context.
struct Headless {
    ctx: egui::Context,
    time: f64,
    geometry: MapGeometry,
    view: MapView,
    fill: HashMap<String, Color32>,
    dots: Vec<MapDot>,
    highlight: Vec<String>,
}

/// What one frame returned.
struct Frame {
    rect: Rect,
    hovered: Option<String>,
    clicked: Option<String>,
    output: egui::FullOutput,
}

impl Headless {
    fn new() -> Self {
        let geometry = MapGeometry::new(vec![
            region("A", vec![square(0.0, 40.0, 10.0, 50.0)]),
            region("B", vec![square(10.0, 40.0, 20.0, 50.0), square(14.0, 44.0, 16.0, 46.0)]),
        ]);
        let fill = [("A".to_owned(), Color32::RED)].into_iter().collect();
        let dots = vec![MapDot { label: "Town".into(), lon: 5.0, lat: 45.0 }];
        let view = MapView { center: [10.0, 45.0], zoom: 1.0 };
        Self { ctx: egui::Context::default(), time: 0.0, geometry, view, fill, dots, highlight: vec!["B".into()] }
    }

    fn frame(&mut self, events: Vec<egui::Event>) -> Frame {
        self.time += 0.05;
        let input = egui::RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(640.0, 480.0))),
            time: Some(self.time),
            events,
            ..Default::default()
        };
        let (mut rect, mut hovered, mut clicked) = (Rect::NOTHING, None, None);
        let style = MapStyle {
            fill: &self.fill,
            no_data: Color32::GRAY,
            outline: Stroke::new(0.5, Color32::BLACK),
            dots: &self.dots,
            highlight: &self.highlight,
        };
        let (geometry, view) = (&self.geometry, &mut self.view);
        let mut output = self.ctx.run_ui(input, |ui| {
            let r = show(ui, geometry, view, &style, Some(vec2(600.0, 400.0)));
            rect = r.response.rect;
            hovered = r.hovered;
            clicked = r.clicked;
        });
        output.textures_delta.clear(); // No renderer here to take the font texture.
        Frame { rect, hovered, clicked, output }
    }

    /// Screen position of a lon/lat point with the current view.
    fn screen(&self, rect: Rect, lon: f64, lat: f64) -> Pos2 {
        let [x, y] = project(lon, lat);
        Transform::new(rect, &self.view).screen_pos(pos2(x as f32, y as f32))
    }
}

fn moved(p: Pos2) -> egui::Event {
    egui::Event::PointerMoved(p)
}

fn button(p: Pos2, pressed: bool) -> egui::Event {
    egui::Event::PointerButton {
        pos: p,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: egui::Modifiers::NONE,
    }
}

#[test]
fn widget_paints_one_mesh_and_reports_hover_and_click() {
    let mut h = Headless::new();
    let rect = h.frame(vec![]).rect;
    assert_eq!(rect.size(), vec2(600.0, 400.0));

    let output = h.frame(vec![]).output;
    let meshes: Vec<&Mesh> =
        output.shapes.iter().filter_map(|s| if let Shape::Mesh(m) = &s.shape { Some(&**m) } else { None }).collect();
    assert_eq!(meshes.len(), 1, "one mesh for all fills");
    assert_eq!(meshes[0].indices.len() / 3, h.geometry.triangle_count());
    assert!(meshes[0].vertices.iter().any(|v| v.color == Color32::RED));
    assert!(meshes[0].vertices.iter().any(|v| v.color == Color32::GRAY), "B has no data");
    assert!(output.shapes.iter().all(|s| rect.contains_rect(s.clip_rect)), "painting stays in the widget");

    let a = h.screen(rect, 5.0, 42.0);
    assert_eq!(h.frame(vec![moved(a)]).hovered.as_deref(), Some("A"));
    let hole = h.screen(rect, 15.0, 45.0);
    assert_eq!(h.frame(vec![moved(hole)]).hovered, None, "the hole in B");
    let b = h.screen(rect, 12.0, 48.0);
    assert_eq!(h.frame(vec![moved(b)]).hovered.as_deref(), Some("B"));
    h.frame(vec![button(b, true)]);
    assert_eq!(h.frame(vec![button(b, false)]).clicked.as_deref(), Some("B"));
    assert_eq!(h.frame(vec![]).clicked, None);
}

#[test]
fn drag_pans_and_double_click_resets() {
    let mut h = Headless::new();
    let rect = h.frame(vec![]).rect;
    let start = rect.center();
    let lon_lat_at_start = Transform::new(rect, &h.view).lon_lat_at(start);
    h.frame(vec![moved(start)]);
    h.frame(vec![button(start, true)]);
    let end = start + vec2(100.0, -50.0);
    for k in 1..=5 {
        h.frame(vec![moved(start + (end - start) * (k as f32 / 5.0))]);
    }
    h.frame(vec![button(end, false)]);
    // The point that was under the pointer followed it.
    let [lon, lat] = Transform::new(rect, &h.view).lon_lat_at(end);
    assert!((lon - lon_lat_at_start[0]).abs() < 1e-3 && (lat - lon_lat_at_start[1]).abs() < 1e-3);

    // Double-click: back to Europe.
    h.time += 1.0;
    for pressed in [true, false, true, false] {
        h.frame(vec![button(end, pressed)]);
    }
    let europe = MapView::europe();
    assert_eq!(h.view.center, europe.center);
    assert_eq!(h.view.zoom, europe.zoom);
}

#[test]
fn zoom_keeps_the_point_under_the_pointer() {
    let mut h = Headless::new();
    let rect = h.frame(vec![]).rect;
    let p = rect.center() + vec2(120.0, 60.0);
    let before = Transform::new(rect, &h.view).lon_lat_at(p);
    h.frame(vec![moved(p)]);
    h.frame(vec![egui::Event::Zoom(2.0)]);
    assert!((h.view.zoom - 2.0).abs() < 1e-4, "{}", h.view.zoom);
    let after = Transform::new(rect, &h.view).lon_lat_at(p);
    assert!((before[0] - after[0]).abs() < 1e-3 && (before[1] - after[1]).abs() < 1e-3);

    // Zoom is clamped.
    h.frame(vec![egui::Event::Zoom(1e6)]);
    assert_eq!(h.view.zoom, *ZOOM_RANGE.end());
}

#[test]
fn scroll_wheel_zooms_in_around_the_pointer() {
    let mut h = Headless::new();
    let rect = h.frame(vec![]).rect;
    let p = rect.center() + vec2(-150.0, 40.0);
    let before = Transform::new(rect, &h.view).lon_lat_at(p);
    h.frame(vec![moved(p)]);
    h.frame(vec![egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: vec2(0.0, 120.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: egui::Modifiers::NONE,
    }]);
    // The wheel is smoothed over a few frames.
    for _ in 0..40 {
        h.frame(vec![]);
    }
    assert!(h.view.zoom > 1.3, "scrolling up zooms in: {}", h.view.zoom);
    let after = Transform::new(rect, &h.view).lon_lat_at(p);
    assert!((before[0] - after[0]).abs() < 1e-3 && (before[1] - after[1]).abs() < 1e-3);
}

#[test]
fn crowded_labels_are_all_placed_without_covering_each_other_or_a_dot() {
    // Nine dots 12 points apart (closer than Amsterdam and Altena on a small map), the middle one first: every place
    // beside it covers a neighbour.
    let bounds = Rect::from_min_size(pos2(0.0, 0.0), vec2(800.0, 600.0));
    let size = vec2(90.0, 20.0);
    let mut dots: Vec<(Pos2, Vec2)> = vec![(pos2(400.0, 300.0), size)];
    for dx in [-12.0, 0.0, 12.0] {
        for dy in [-12.0, 0.0, 12.0] {
            if (dx, dy) != (0.0, 0.0) {
                dots.push((pos2(400.0 + dx, 300.0 + dy), size));
            }
        }
    }
    let places = place_labels(&dots, 4.0, 5.0, bounds);
    let rects: Vec<Rect> = places.iter().map(|p| p.expect("every label placed").rect).collect();
    for (i, a) in rects.iter().enumerate() {
        assert!(bounds.contains_rect(*a), "label {i} inside the map");
        for (j, b) in rects.iter().enumerate().skip(i + 1) {
            assert!(!a.intersects(*b), "labels {i} and {j} overlap");
        }
        for (c, _) in &dots {
            assert!(!a.intersects(Rect::from_center_size(*c, Vec2::splat(8.0))), "label {i} covers a dot");
        }
    }
    // The middle one is moved away and tied back to its dot by a leader line.
    assert!(places[0].expect("placed").leader);
    // A dot without a label gets no place.
    assert_eq!(place_labels(&[(pos2(10.0, 10.0), Vec2::ZERO)], 4.0, 5.0, bounds), vec![None]);
}
