//! The words of the room's open lines ("the one thing that blocks co-ordination here"), counted for a word cloud:
//! only lines the facilitator approved are given here. A room may write in any of the participant page's eight
//! languages, so the stop words of all eight are left out (articles, pronouns, prepositions, conjunctions and the
//! commonest verbs), with words under three letters. Pure: no egui, no SQL.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The stop words of each language of the participant page, lower-case (words under three letters are dropped
/// anyway, so they are not listed).
pub const STOP_WORDS: [(&str, &str); 8] = [
    (
        "en",
        "the and for are but not you all any can her was one our out has his how its may new now who did get \
         him let put say she too use that with have this will your from they been were what when where which \
         there their them then than into also some such only other more most very just over under about after \
         before because while would could should does doing done being here each both between through there's \
         it's don't can't isn't aren't ours these those itself themselves many much every thing things",
    ),
    (
        "fr",
        "les des une est pas que qui dans pour par sur avec son ses aux mais ont ces sont nous vous ils elles \
         leur leurs cette cet tout tous toute toutes comme plus sans sous entre être avoir fait faire peu \
         très bien aussi donc car dont elle lui même mêmes notre nos votre vos quand était quoi encore ici \
         chez vers trop rien",
    ),
    (
        "de",
        "der die das und ist nicht ein eine einer eines einem einen den dem des mit sich auf für von zum zur \
         bei nach aus auch wie als wird werden wurde sind hat haben kein keine noch nur oder aber wenn dass \
         sie wir ihr ihre ihren sein seine seiner diese dieser dieses durch über unter zwischen vor sehr mehr \
         hier dort alle allen man schon immer gibt ohne",
    ),
    (
        "es",
        "los las una uno unos unas del con por para que como pero sus más muy sin sobre entre este esta estos \
         estas ese esa eso ser son está están hay fue han tiene tienen también todo todos toda todas nos les \
         cuando donde porque desde hasta otro otra otros otras mismo ella ellos nuestro nuestra",
    ),
    (
        "it",
        "gli uno una del della dei delle degli dal dalla nel nella nei con per che non come più sono tra fra \
         anche tutto tutti tutta tutte questo questa questi queste quello quella essere avere hanno suo sua \
         suoi loro noi voi molto poco senza sulla sul alla allo agli alle dove quando perché",
    ),
    (
        "el",
        "και του της των τον την στο στη στην στα στον στις στους από για που δεν είναι ένα μια μία ενός μιας \
         αυτό αυτή αυτά αυτές αυτοί αλλά όταν όπως πολύ πιο έχει έχουν ήταν ότι μας σας τους τις κατά μετά \
         χωρίς μεταξύ",
    ),
    (
        "sv",
        "och det att som för med den till inte har ett var jag han hon vad från men ska kan när eller alla \
         också där här mycket bara sina sitt sin deras vara blir blev finns utan över under efter mellan mot \
         hur vid dem detta denna dessa inom sedan",
    ),
    (
        "nl",
        "het een van dat die niet zijn voor met aan ook als bij door naar maar dan wat nog wel geen hun zij \
         wij jij worden wordt werd heeft hebben was waren kan kunnen moet moeten meer veel zeer over onder \
         tussen zonder deze dit daar hier alle alles omdat wanneer waar hoe uit tot",
    ),
];

fn stop_words() -> &'static HashSet<&'static str> {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| STOP_WORDS.iter().flat_map(|(_, list)| list.split_whitespace()).collect())
}

/// Whether `word` (lower-case) is a stop word of one of the eight languages.
pub fn is_stop_word(word: &str) -> bool {
    stop_words().contains(word)
}

/// The words of `lines`, lower-cased, without stop words and words under three letters, counted; most frequent
/// first, ties in alphabetical order.
pub fn word_counts<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<(String, usize)> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for line in lines {
        for word in line.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'' && c != '’') {
            let word = word.trim_matches(|c: char| c == '-' || c == '\'' || c == '’').to_lowercase();
            if word.chars().count() >= 3 && !is_stop_word(&word) && !word.chars().all(|c| c.is_ascii_digit()) {
                *counts.entry(word).or_default() += 1;
            }
        }
    }
    let mut out: Vec<(String, usize)> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_of_every_language_are_left_out() {
        let lines = [
            "No shared data on arrivals, and the funding rules change",
            "Les données ne sont pas partagées avec la ville",
            "Die Daten werden nicht mit der Stadt geteilt",
            "Los datos no se comparten con la ciudad",
            "I dati non sono condivisi con il comune",
            "Τα δεδομένα δεν μοιράζονται με την πόλη",
            "Data delas inte med kommunen",
            "De gegevens worden niet gedeeld met de stad",
        ];
        let words = word_counts(lines);
        let has = |w: &str| words.iter().any(|(x, _)| x == w);
        for stop in [
            "the", "and", "les", "sont", "die", "werden", "los", "con", "non", "sono", "δεν", "την", "inte", "med",
            "niet", "worden",
        ] {
            assert!(!has(stop), "{stop} is a stop word");
        }
        for kept in
            ["shared", "data", "funding", "données", "daten", "datos", "dati", "δεδομένα", "kommunen", "gegevens"]
        {
            assert!(has(kept), "{kept} is kept: {words:?}");
        }
        assert_eq!(words[0], ("data".to_owned(), 2), "most frequent first");
    }

    #[test]
    fn every_language_has_its_list() {
        for (lang, list) in STOP_WORDS {
            assert!(list.split_whitespace().count() >= 40, "{lang}");
            assert!(list.split_whitespace().all(|w| w.chars().count() >= 3 && w == w.to_lowercase()), "{lang}");
        }
    }
}
