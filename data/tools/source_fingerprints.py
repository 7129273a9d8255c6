#!/usr/bin/env python3
"""Write data/source_fingerprints.json: for each OECD page text the project started from, the hashes of every run of
8 consecutive words (lower-cased; words are runs of letters and digits; FNV-1a 64-bit over the words joined by one
space, as 16 hex digits). The texts themselves are not shipped. `integration-atlas check` hashes the dataset's own
sentences the same way and reports any shared run, so a sentence copied from these pages is caught. Each page also
lists the numbers it states (digit runs without thousands separators, and number words such as "five" as digits), so
`check` can refuse a figure that cites a page which does not state it.

Run from the project root: python3 data/tools/source_fingerprints.py ../shared/research/seeds"""
import json, os, re, sys

SEEDS = sys.argv[1] if len(sys.argv) > 1 else '../shared/research/seeds'
N = 8
PAGES = [
    ('000_88cd38344e2e6b1c.txt', 'https://www.oecd-ilibrary.org/social-issues-migration-health/working-together-for-local-integration-of-migrants-and-refugees/using-statistics-to-assess-migrant-integration-in-oecd-regions_9789264085350-6-en',
     'Working Together for Local Integration of Migrants and Refugees: abstract and chapter 1 summary'),
    ('001_03ceb91c4c83d123.txt', 'http://oe.cd/migrant-integration',
     'Integration of migrants and refugees at the local level: what would success look like? (policy highlights)'),
    ('003_4adfe1711b91ecdb.txt', 'https://www.oecd.org/cfe/regionaldevelopment/migrantintegrationincities.htm',
     'Territorial Approach to Migrant Integration (OECD project page)'),
]


NUMBER_WORDS = {w: str(n) for n, w in enumerate(
    'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen '
    'eighteen nineteen twenty'.split())}
NUMBER_WORDS.update({'thirty': '30', 'forty': '40', 'fifty': '50', 'sixty': '60', 'seventy': '70', 'eighty': '80',
                     'ninety': '90', 'hundred': '100'})


def numbers(text):
    """The numbers a text states, as atlas-core's audit reads them (dataset/audit.rs, `numbers_in`)."""
    found = {m.replace(',', '') for m in re.findall(r'\d+(?:[.,]\d+)*', text)}
    found |= {NUMBER_WORDS[w] for w in re.findall(r'[a-z]+', text.lower()) if w in NUMBER_WORDS}
    return sorted(found, key=lambda n: (float(n), n))


def fnv(text):
    h = 0xcbf29ce484222325
    for b in text.encode('utf-8'):
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


out = {'ngram': N, 'sources': []}
for name, url, title in PAGES:
    text = open(os.path.join(SEEDS, name), encoding='utf-8').read()
    words = re.findall(r'[^\W_]+', text.lower())
    hashes = sorted({fnv(' '.join(words[i:i + N])) for i in range(len(words) - N + 1)})
    out['sources'].append({'url': url, 'title': title, 'hashes': ['%016x' % h for h in hashes],
                           'numbers': numbers(text)})
with open('data/source_fingerprints.json', 'w', encoding='utf-8') as f:
    json.dump(out, f, indent=2)
    f.write('\n')
