//! The checklist matrix: challenges and practices per city and objective.

use atlas_core::model::{City, Evidence, EvidenceKind};

/// `cells[city][objective - 1]` = (challenges, practices), for the cities in order and objectives 1–12.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Matrix {
    pub cells: Vec<[(usize, usize); 12]>,
    /// The largest challenges + practices of any cell (at least 1), for shading.
    pub max: usize,
}

pub fn matrix(evidence: &[Evidence], cities: &[City]) -> Matrix {
    let mut cells = vec![[(0usize, 0usize); 12]; cities.len()];
    for e in evidence {
        let (Some(c), Some(o)) = (cities.iter().position(|c| c.id == e.city), e.objective) else { continue };
        if !(1..=12).contains(&o) {
            continue;
        }
        let cell = &mut cells[c][(o - 1) as usize];
        match e.kind {
            EvidenceKind::Challenge => cell.0 += 1,
            EvidenceKind::Practice => cell.1 += 1,
        }
    }
    let max = cells.iter().flatten().map(|(c, p)| c + p).max().unwrap_or(0).max(1);
    Matrix { cells, max }
}
