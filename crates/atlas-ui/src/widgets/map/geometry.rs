//! The map's geometry: the projection, regions as triangulated polygons with their outlines, and hit-testing.

use std::ops::Range;

use eframe::egui;
use egui::{Pos2, Rect, pos2};

/// One region outline, already converted from data: polygons of rings (outer ring first, then holes) of [lon, lat].
pub struct MapRegion {
    pub code: String,
    pub name: String,
    pub country: String,
    pub polygons: Vec<Vec<Vec<[f64; 2]>>>,
}

/// A labelled dot.
pub struct MapDot {
    pub label: String,
    pub lon: f64,
    pub lat: f64,
}

// ---------------------------------------------------------------------------------------------
// Projection

/// cos(50°): the x-scaling of the equirectangular projection (true scale at latitude 50°).
pub(super) const X_SCALE: f64 = 0.642_787_609_686_539_3;

/// Projected coordinates of a lon/lat point: `[lon · cos 50°, lat]` (y grows northwards).
pub(super) fn project(lon: f64, lat: f64) -> [f64; 2] {
    [lon * X_SCALE, lat]
}

/// Inverse of [`project`].
pub(super) fn unproject(p: [f64; 2]) -> [f64; 2] {
    [p[0] / X_SCALE, p[1]]
}

/// The lon/lat box that `zoom == 1.0` fits into the widget: roughly Europe.
pub(super) const REFERENCE_LON: [f64; 2] = [-12.0, 35.0];
pub(super) const REFERENCE_LAT: [f64; 2] = [34.0, 71.0];

/// Width and height of the reference box in projected units.
pub(super) fn reference_size() -> [f64; 2] {
    [(REFERENCE_LON[1] - REFERENCE_LON[0]) * X_SCALE, REFERENCE_LAT[1] - REFERENCE_LAT[0]]
}

/// Allowed zoom, relative to the reference box (0.1 shows the whole world, 100 a city district).
pub(super) const ZOOM_RANGE: std::ops::RangeInclusive<f32> = 0.1..=100.0;

// ---------------------------------------------------------------------------------------------
// Geometry

/// One region, projected and triangulated.
pub(super) struct Region {
    pub(super) code: String,
    pub(super) name: String,
    pub(super) country: String,
    /// Projected points of every kept ring, ring after ring (y = latitude, pointing north).
    pub(super) vertices: Vec<Pos2>,
    /// Triangles as indices into `vertices`, three per triangle.
    pub(super) indices: Vec<u32>,
    /// Polygons, each a list of rings (outer first, then holes) given as ranges of `vertices`.
    /// Rings are implicitly closed: the last point joins the first.
    pub(super) polygons: Vec<Vec<Range<usize>>>,
    /// Bounding box of `vertices`, in projected coordinates.
    pub(super) bbox: Rect,
}

impl Region {
    pub(super) fn ring(&self, range: &Range<usize>) -> &[Pos2] {
        self.vertices.get(range.clone()).unwrap_or(&[])
    }

    /// Is the projected point inside this region? Even-odd rule over each polygon's rings, so holes
    /// are respected; a point is inside the region if it is inside any of its polygons.
    pub(super) fn contains(&self, p: Pos2) -> bool {
        self.bbox.contains(p)
            && self
                .polygons
                .iter()
                .any(|rings| rings.iter().fold(false, |inside, range| inside ^ ring_contains(self.ring(range), p)))
    }
}

/// Triangulated shapes, built once (expensive) and reused every frame.
pub struct MapGeometry {
    pub(super) regions: Vec<Region>,
    /// Total number of triangles over all regions.
    pub(super) triangles: usize,
}

impl MapGeometry {
    /// Projects lon/lat (see the module docs: equirectangular, x scaled by cos 50°) and triangulates
    /// every polygon with its holes using earcutr.
    ///
    /// Never panics on bad data: points that are not finite are dropped, rings with fewer than
    /// three distinct points or (near) zero area are skipped, a polygon whose outer ring is skipped
    /// is skipped with its holes, and a polygon that earcutr cannot triangulate is skipped whole
    /// (no fill, outline or hit-testing), so what is drawn and what is hit-tested always agree.
    /// A region left with no polygon is kept (it counts in [`Self::len`]) but draws nothing.
    pub fn new(regions: Vec<MapRegion>) -> Self {
        let regions: Vec<Region> = regions.into_iter().map(build_region).collect();
        let triangles = regions.iter().map(|r| r.indices.len() / 3).sum();
        Self { regions, triangles }
    }

    /// Number of regions (including any whose every polygon was skipped).
    #[allow(dead_code)] // Part of the public API; the app may not need it.
    pub fn len(&self) -> usize {
        self.regions.len()
    }

    /// True if there are no regions.
    #[allow(dead_code)] // Part of the public API; the app may not need it.
    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }

    /// The region code under a lon/lat point (point-in-polygon on the rings, holes respected), if any.
    /// If regions overlap, the one drawn last (on top) wins.
    pub fn region_at(&self, lon: f64, lat: f64) -> Option<&str> {
        if !lon.is_finite() || !lat.is_finite() {
            return None;
        }
        let [x, y] = project(lon, lat);
        // Also try the point one turn east, for rings unwrapped past the antimeridian.
        let candidates = [pos2(x as f32, y as f32), pos2((x + 360.0 * X_SCALE) as f32, y as f32)];
        self.regions.iter().rev().find(|r| candidates.iter().any(|&p| r.contains(p))).map(|r| r.code.as_str())
    }

    /// Total triangle count (for tests).
    #[allow(dead_code)] // Part of the public API, used by tests.
    pub fn triangle_count(&self) -> usize {
        self.triangles
    }

    /// Name and country of a region, by code.
    #[allow(dead_code)] // Part of the public API; the app may not need it.
    pub fn region_name(&self, code: &str) -> Option<(&str, &str)> {
        self.regions.iter().find(|r| r.code == code).map(|r| (r.name.as_str(), r.country.as_str()))
    }
}

/// Projects, cleans and triangulates one region.
pub(super) fn build_region(region: MapRegion) -> Region {
    let MapRegion { code, name, country, polygons: source } = region;
    let mut vertices: Vec<Pos2> = Vec::new();
    let mut indices: Vec<u32> = Vec::new();
    let mut polygons: Vec<Vec<Range<usize>>> = Vec::new();

    // Scratch buffers reused across polygons.
    let mut flat: Vec<f64> = Vec::new();
    let mut hole_starts: Vec<usize> = Vec::new();
    let mut kept: Vec<Vec<[f64; 2]>> = Vec::new();

    for rings in &source {
        // Clean every ring; the outer ring decides whether the polygon exists at all.
        kept.clear();
        for (i, ring) in rings.iter().enumerate() {
            match clean_ring(ring) {
                Some(r) => kept.push(r),
                None if i == 0 => break, // No usable outer ring: skip the polygon with its holes.
                None => {}               // Degenerate hole: just skip it.
            }
        }
        if kept.is_empty() {
            continue;
        }

        // earcutr wants one flat [x0, y0, x1, y1, ...] array and the vertex index where each hole starts.
        flat.clear();
        hole_starts.clear();
        for (i, ring) in kept.iter().enumerate() {
            if i > 0 {
                hole_starts.push(flat.len() / 2);
            }
            flat.extend(ring.iter().flatten());
        }
        let count = flat.len() / 2;
        let Ok(triangles) = earcutr::earcut(&flat, &hole_starts, 2) else { continue };
        // Distrust the output a little: whole triangles only, indices in range, and something to fill.
        if triangles.is_empty() || triangles.len() % 3 != 0 || triangles.iter().any(|&i| i >= count) {
            continue;
        }
        // A u32 index must be able to address every vertex (more than 4 billion points is not a map).
        let Ok(base) = u32::try_from(vertices.len()) else { continue };
        if u32::try_from(vertices.len() + count).is_err() {
            continue;
        }

        indices.extend(triangles.iter().map(|&i| base + i as u32));
        let mut ranges = Vec::with_capacity(kept.len());
        for ring in &kept {
            let start = vertices.len();
            vertices.extend(ring.iter().map(|p| pos2(p[0] as f32, p[1] as f32)));
            ranges.push(start..vertices.len());
        }
        polygons.push(ranges);
    }

    let bbox = if vertices.is_empty() { Rect::NOTHING } else { Rect::from_points(&vertices) };
    Region { code, name, country, vertices, indices, polygons, bbox }
}

/// Projects one ring and cleans it for triangulation: drops points that are not finite, repeated
/// consecutive points and the closing point (equal to the first); unwraps a ring that crosses the
/// antimeridian. `None` if fewer than 3 points remain or the area is (nearly) zero.
pub(super) fn clean_ring(ring: &[[f64; 2]]) -> Option<Vec<[f64; 2]>> {
    let finite = || ring.iter().filter(|p| p[0].is_finite() && p[1].is_finite());
    let (min_lon, max_lon) = finite().fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p[0]), hi.max(p[0])));
    let crosses_antimeridian = max_lon - min_lon > 180.0;

    let mut out: Vec<[f64; 2]> = Vec::with_capacity(ring.len());
    for p in finite() {
        let lon = if crosses_antimeridian && p[0] < 0.0 { p[0] + 360.0 } else { p[0] };
        let q = project(lon, p[1]);
        if out.last() != Some(&q) {
            out.push(q);
        }
    }
    while out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    // Area threshold in projected square degrees: ~1e-10 is far below anything drawable.
    (out.len() >= 3 && signed_area(&out).abs() > 1e-10).then_some(out)
}

/// Signed area of an implicitly closed ring (shoelace formula); positive when counter-clockwise.
pub(super) fn signed_area(ring: &[[f64; 2]]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum::<f64>()
        / 2.0
}

/// Even-odd ray casting: does a horizontal ray from `p` cross the implicitly closed ring an odd number of times?
pub(super) fn ring_contains(ring: &[Pos2], p: Pos2) -> bool {
    let Some(&last) = ring.last() else { return false };
    let mut inside = false;
    let mut prev = last;
    for &cur in ring {
        if (cur.y > p.y) != (prev.y > p.y) {
            // x where the edge crosses the ray's height (the edge is not horizontal here).
            let x = cur.x + (p.y - cur.y) / (prev.y - cur.y) * (prev.x - cur.x);
            if p.x < x {
                inside = !inside;
            }
        }
        prev = cur;
    }
    inside
}

// ---------------------------------------------------------------------------------------------
// View
