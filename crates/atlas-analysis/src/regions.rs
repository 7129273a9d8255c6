//! Regional indicators: a region against the other regions of its country.

use atlas_core::model::{Atlas, RegionValue};

/// One region's standing on one indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionStanding {
    pub indicator: String,
    pub fb: Option<f64>,
    pub comparison: Option<f64>,
    /// 1 = the highest foreign-born value among the country's regions with data.
    pub rank: Option<usize>,
    /// Regions of the country with a foreign-born value.
    pub ranked_of: usize,
    /// Unweighted mean of the foreign-born values of the country's regions with data.
    pub country_mean_fb: Option<f64>,
    /// Unweighted mean of the comparison values of the country's regions with data.
    pub country_mean_comparison: Option<f64>,
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// The values of one indicator for every region of a country.
pub fn country_values<'a>(atlas: &'a Atlas, indicator: &str, country: &str) -> Vec<&'a RegionValue> {
    atlas
        .region_values
        .iter()
        .filter(|v| v.indicator == indicator)
        .filter(|v| atlas.region(&v.region).is_some_and(|r| r.country == country))
        .collect()
}

/// A region's standing on every indicator (in the atlas's indicator order).
pub fn standings(atlas: &Atlas, region_code: &str) -> Vec<RegionStanding> {
    let Some(region) = atlas.region(region_code) else { return Vec::new() };
    atlas
        .indicators
        .iter()
        .map(|ind| {
            let peers = country_values(atlas, &ind.code, &region.country);
            let own = peers.iter().find(|v| v.region == region_code);
            let fb = own.and_then(|v| v.fb);
            let ranked: Vec<f64> = peers.iter().filter_map(|v| v.fb).collect();
            let rank = fb.map(|x| ranked.iter().filter(|y| **y > x).count() + 1);
            RegionStanding {
                indicator: ind.code.clone(),
                fb,
                comparison: own.and_then(|v| v.comparison),
                rank,
                ranked_of: ranked.len(),
                country_mean_fb: mean(peers.iter().filter_map(|v| v.fb)),
                country_mean_comparison: mean(peers.iter().filter_map(|v| v.comparison)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use atlas_core::model::{Indicator, Region};

    fn atlas() -> Atlas {
        let region = |code: &str, country: &str| Region {
            code: code.into(),
            name: code.into(),
            country: country.into(),
            country_name: country.into(),
        };
        let value = |region: &str, fb: Option<f64>, comparison: f64| RegionValue {
            indicator: "Unemp".into(),
            region: region.into(),
            fb,
            comparison: Some(comparison),
            diff: None,
            country_mean_diff: None,
            quartile: None,
        };
        Atlas {
            indicators: vec![Indicator {
                code: "Unemp".into(),
                name: "Unemployment".into(),
                fb_label: String::new(),
                comparison_label: String::new(),
                unit: "%".into(),
                has_diff: true,
                note: None,
            }],
            regions: vec![region("A1", "AAA"), region("A2", "AAA"), region("A3", "AAA"), region("B1", "BBB")],
            region_values: vec![
                value("A1", Some(10.0), 5.0),
                value("A2", Some(20.0), 7.0),
                value("A3", None, 9.0),
                value("B1", Some(99.0), 1.0),
            ],
            ..Atlas::default()
        }
    }

    #[test]
    fn rank_and_means_stay_within_the_country_and_skip_missing_values() {
        let s = &standings(&atlas(), "A1")[0];
        assert_eq!(s.rank, Some(2));
        assert_eq!(s.ranked_of, 2);
        assert_eq!(s.country_mean_fb, Some(15.0));
        assert_eq!(s.country_mean_comparison, Some(7.0));
        let missing = &standings(&atlas(), "A3")[0];
        assert_eq!(missing.rank, None);
        assert_eq!(missing.fb, None);
    }
}
