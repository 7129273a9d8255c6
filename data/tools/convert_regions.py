#!/usr/bin/env python3
"""Convert ../shared/data/oecd-regions (data.tsv, country.tsv, TL2 GeoJSON) into data/regions.json and
data/region_shapes.json. Run from the project root: python3 data/tools/convert_regions.py ../shared/data/oecd-regions

Values are copied unchanged (as numbers; empty cells become null). Shapes are simplified with Douglas-Peucker
(tolerance 0.02 degrees), rings with fewer than 4 points after simplification are dropped, and coordinates are
rounded to 3 decimals. Only shapes of the 333 regions in data.tsv are kept."""
import csv, json, sys, os

SRC = sys.argv[1] if len(sys.argv) > 1 else '../shared/data/oecd-regions'
CITE = ("OECD (2018), Working Together for Local Integration of Migrants and Refugees, OECD Publishing, Paris, "
        "https://doi.org/10.1787/9789264085350-en")
PAGE = "https://gitvfd.github.io/migrants_integration_in_regions"
DOI = "https://doi.org/10.1787/9789264085350-en"

INDICATORS = [
    dict(code="ShareMig", name="Share of foreign-born", fb_label="Region: foreign-born share of population",
         comparison_label="Country: foreign-born share", unit="%", has_diff=False,
         note="Comparison value is the share in the whole country."),
    dict(code="ChangeShareMig", name="Change in foreign-born share", fb_label="Region: change in foreign-born share",
         comparison_label="Country: change in foreign-born share", unit="percentage points", has_diff=False,
         note="The period of the change is not stated in the data."),
    dict(code="lengthStay", name="New arrivals vs settled migrants", fb_label="Foreign-born who arrived less than 10 years ago",
         comparison_label="Foreign-born settled 10 years or more", unit="% of foreign-born", has_diff=True,
         note="Both values describe the foreign-born population; the comparison is settled migrants, not the native-born."),
    dict(code="eduattain", name="Tertiary education", fb_label="Foreign-born with tertiary education",
         comparison_label="Native-born with tertiary education", unit="%", has_diff=True, note=None),
    dict(code="Unemp", name="Unemployment rate", fb_label="Unemployment rate, foreign-born",
         comparison_label="Unemployment rate, native-born", unit="%", has_diff=True,
         note="Available for regions in 20 countries."),
    dict(code="PartRate", name="Labour-force participation rate", fb_label="Participation rate, foreign-born",
         comparison_label="Participation rate, native-born", unit="%", has_diff=True, note=None),
    dict(code="overQualRate", name="Over-qualification rate", fb_label="Over-qualification rate of the employed, foreign-born",
         comparison_label="Over-qualification rate of the employed, native-born", unit="%", has_diff=True, note=None),
]


def num(s):
    s = s.strip()
    return None if s == '' else float(s)


def main():
    countries = {}
    with open(os.path.join(SRC, 'country.tsv'), encoding='utf-8') as f:
        for r in csv.DictReader(f, delimiter='\t'):
            countries[r['ISO']] = r['Country']
    rows, regions = [], {}
    with open(os.path.join(SRC, 'data.tsv'), encoding='utf-8') as f:
        for r in csv.DictReader(f, delimiter='\t'):
            regions[r['Region']] = (r['RegionName'], r['Country'])
            q = r['quartile'].strip()
            rows.append([r['Indicator'], r['Region'], num(r['FB']), num(r['NonFBCompValue']), num(r['Diff']),
                         num(r['country_mean_DIFF']), int(float(q)) if q else None])
    used = sorted({c for _, c in regions.values()})
    out = {
        "source": {"citation": CITE, "page": PAGE, "data_as_of": "2018-04-17",
                   "note": "Reference years are not in the file; the report's regional data are around 2014-2015 (exact years uncertain).",
                   "sources": [{"url": DOI, "tag": "oecd", "title": "Working Together for Local Integration of Migrants and Refugees", "publisher": "OECD Publishing"},
                               {"url": PAGE, "tag": "oecd", "title": "Integrating migrants in regions (OECD interactive page)", "publisher": "OECD"}]},
        "columns": ["indicator", "region", "fb", "comparison", "diff", "country_mean_diff", "quartile"],
        "indicators": INDICATORS,
        "countries": [{"iso": c, "name": countries[c]} for c in used],
        "regions": [{"code": k, "name": v[0], "country": v[1]} for k, v in sorted(regions.items())],
        "values": rows,
    }
    with open('data/regions.json', 'w', encoding='utf-8') as f:
        json.dump(out, f, ensure_ascii=False, indent=0, separators=(',', ':'))
        f.write('\n')

    g = json.load(open(os.path.join(SRC, 'TL2_OECD_2016_OECD.json'), encoding='utf-8'))
    feats = []
    for ft in g['features']:
        p = ft['properties']
        if p['TL2_CODE'] not in regions or ft['geometry'] is None:
            continue
        geom = ft['geometry']
        polys = geom['coordinates'] if geom['type'] == 'MultiPolygon' else [geom['coordinates']]
        outp = []
        for poly in polys:
            rings = []
            for ring in poly:
                s = simplify(ring, 0.02)
                if len(s) >= 4:
                    rings.append([[round(x, 3), round(y, 3)] for x, y in s])
            if rings:
                outp.append(rings)
        feats.append({"code": p['TL2_CODE'], "name": p['TL2_NAME'], "country": p['COUNTRY'], "polygons": outp})
    shapes = {"attribution": "TL2 region boundaries: OECD territorial grid (TL2, 2016), as used by the OECD page "
                             "'Integrating migrants in regions'; simplified for display. " + CITE,
              "sources": [{"url": PAGE, "tag": "oecd", "title": "Integrating migrants in regions (OECD interactive page)", "publisher": "OECD"}],
              "features": feats}
    with open('data/region_shapes.json', 'w', encoding='utf-8') as f:
        json.dump(shapes, f, ensure_ascii=False, separators=(',', ':'))
        f.write('\n')
    print(len(rows), 'values;', len(regions), 'regions;', len(feats), 'shapes;',
          sum(len(r) for ft in feats for poly in ft['polygons'] for r in poly), 'points')


def simplify(pts, tol):
    pts = [tuple(p[:2]) for p in pts]
    if len(pts) < 5:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        a, b = stack.pop()
        ax, ay = pts[a]; bx, by = pts[b]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        best, idx = -1.0, -1
        for i in range(a + 1, b):
            px, py = pts[i]
            d = abs(dy * px - dx * py + bx * ay - by * ax) / norm if norm > 0 else ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            if d > best:
                best, idx = d, i
        if idx >= 0 and best > tol:
            keep[idx] = True
            stack.append((a, idx)); stack.append((idx, b))
    return [p for p, k in zip(pts, keep) if k]


if __name__ == '__main__':
    main()
