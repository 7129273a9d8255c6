//! The participant page's words in the eight languages of the case studies' countries: English, French, German,
//! Spanish, Italian, Greek, Swedish and Dutch. Everything but the English is our own translation (the objectives'
//! short texts included), and the page says so. The English objective texts are the atlas's own.

/// A language of the participant page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Fr,
    De,
    Es,
    It,
    El,
    Sv,
    Nl,
}

impl Lang {
    pub const ALL: [Lang; 8] = [Lang::En, Lang::Fr, Lang::De, Lang::Es, Lang::It, Lang::El, Lang::Sv, Lang::Nl];

    /// The BCP 47 code: `en`, `fr`, …
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::De => "de",
            Lang::Es => "es",
            Lang::It => "it",
            Lang::El => "el",
            Lang::Sv => "sv",
            Lang::Nl => "nl",
        }
    }

    /// The language's name in itself, for the switch.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::De => "Deutsch",
            Lang::Es => "Español",
            Lang::It => "Italiano",
            Lang::El => "Ελληνικά",
            Lang::Sv => "Svenska",
            Lang::Nl => "Nederlands",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The best language of an `Accept-Language` header (by its q-values), English when none is offered.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',').take(32) {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or_default();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()))
                .unwrap_or(1.0);
            if let Some(lang) = Lang::parse(tag)
                && q > 0.0
                && best.is_none_or(|(b, _)| q > b)
            {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::En, |(_, l)| l)
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::En => &EN,
            Lang::Fr => &FR,
            Lang::De => &DE,
            Lang::Es => &ES,
            Lang::It => &IT,
            Lang::El => &EL,
            Lang::Sv => &SV,
            Lang::Nl => &NL,
        }
    }
}

/// Every sentence of the page and its refusals in one language.
#[derive(Debug)]
pub struct Texts {
    pub page_title: &'static str,
    /// Followed by the join code.
    pub join_code: &'static str,
    pub language: &'static str,
    pub name_label: &'static str,
    pub name_hint: &'static str,
    pub scores_heading: &'static str,
    pub scores_hint: &'static str,
    pub no_answer: &'static str,
    pub gaps_heading: &'static str,
    pub gaps_hint: &'static str,
    pub text_label: &'static str,
    pub text_hint: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub saving: &'static str,
    pub unsaved: &'static str,
    pub offline: &'static str,
    pub translation_note: &'static str,
    pub revealed: &'static str,
    // Refusals: nothing was written.
    pub too_large: &'static str,
    pub rate: &'static str,
    pub full: &'static str,
    pub closed: &'static str,
    pub removed: &'static str,
    pub too_many_changes: &'static str,
    pub bad_form: &'static str,
    pub bad_score: &'static str,
    pub name_too_long: &'static str,
    pub text_too_long: &'static str,
    /// A name or line holding a character that hides or reverses text (as imported answers are checked).
    pub invisible: &'static str,
    // The short address, for a phone that cannot scan: it types the join code.
    pub join_heading: &'static str,
    pub join_button: &'static str,
    pub wrong_code: &'static str,
    pub codes_off: &'static str,
    /// The seven gap types of [`atlas_core::dataset::GAP_TYPES`], in order.
    pub gaps: [&'static str; 7],
    /// The six levels of [`atlas_core::answer_format::ROUND_LEVELS`], in order.
    pub levels: [&'static str; 6],
    /// Objectives 1–12's short texts (our translations); `None` for English, which uses the atlas's own.
    pub objectives: Option<[&'static str; 12]>,
}

pub static EN: Texts = Texts {
    page_title: "Self-assessment",
    join_code: "Code on the screen:",
    language: "Language",
    name_label: "Your name or city (optional)",
    name_hint: "Leave it empty to answer anonymously. The atlas's cities are offered as you type.",
    scores_heading: "How far does your place meet each objective?",
    scores_hint: "0 = not at all … 4 = fully",
    no_answer: "no answer",
    gaps_heading: "Co-ordination gaps",
    gaps_hint: "Tick each level of government with which you face this gap.",
    text_label: "The one thing that blocks co-ordination here (optional)",
    text_hint: "The facilitator reads it before showing it to the room.",
    save: "Save my answers",
    saved: "Saved. You can change your answers until answering closes.",
    saving: "Saving…",
    unsaved: "Changes not saved yet.",
    offline: "The facilitator's computer could not be reached: your last changes are not saved.",
    translation_note: "",
    revealed: "The results are on the screen.",
    too_large: "Not saved: your answers are too long. Shorten the text and try again.",
    rate: "Not saved: too many requests from this phone. Wait a few seconds and try again.",
    full: "This round is full: no more phones can join.",
    closed: "Not saved: answering is closed.",
    removed: "The facilitator removed this phone from the round.",
    too_many_changes: "Not saved: this phone has changed its answers too many times. Ask the facilitator.",
    bad_form: "Not saved: the form was not one this page sent. Reload the page and try again.",
    bad_score: "Not saved: a score must be a whole number from 0 to 4.",
    name_too_long: "Not saved: the name is too long (at most 80 characters).",
    text_too_long: "Not saved: the text is too long (at most 200 characters).",
    invisible: "Not saved: your name or line holds an invisible character (one that can reverse or hide text). Type it again without it.",
    join_heading: "Join the round",
    join_button: "Join",
    wrong_code: "That is not the code on the screen. Check it and try again.",
    codes_off: "Too many wrong codes were typed: ask the facilitator for the link or the QR code.",
    gaps: [
        "Information",
        "Policy coherence",
        "Funding",
        "Administrative scale",
        "Capacity",
        "Objectives",
        "Accountability",
    ],
    levels: ["EU", "National", "Regional / state", "Metropolitan", "Municipal", "District"],
    objectives: None,
};

pub static FR: Texts = Texts {
    page_title: "Auto-évaluation",
    join_code: "Code affiché à l'écran :",
    language: "Langue",
    name_label: "Votre nom ou votre ville (facultatif)",
    name_hint: "Laissez vide pour répondre anonymement. Les villes de l'atlas sont proposées pendant la saisie.",
    scores_heading: "Dans quelle mesure votre territoire atteint-il chaque objectif ?",
    scores_hint: "0 = pas du tout … 4 = pleinement",
    no_answer: "sans réponse",
    gaps_heading: "Lacunes de coordination",
    gaps_hint: "Cochez chaque niveau de gouvernement avec lequel vous rencontrez cette lacune.",
    text_label: "La chose qui bloque le plus la coordination ici (facultatif)",
    text_hint: "L'animateur la lit avant de la montrer à la salle.",
    save: "Enregistrer mes réponses",
    saved: "Enregistré. Vous pouvez modifier vos réponses jusqu'à la clôture.",
    saving: "Enregistrement…",
    unsaved: "Modifications pas encore enregistrées.",
    offline: "L'ordinateur de l'animateur est injoignable : vos dernières modifications ne sont pas enregistrées.",
    translation_note: "Traductions des objectifs : les nôtres, pas celles de l'OCDE.",
    revealed: "Les résultats sont à l'écran.",
    too_large: "Non enregistré : vos réponses sont trop longues. Raccourcissez le texte et réessayez.",
    rate: "Non enregistré : trop de requêtes depuis ce téléphone. Attendez quelques secondes et réessayez.",
    full: "Cette session est complète : aucun autre téléphone ne peut la rejoindre.",
    closed: "Non enregistré : les réponses sont closes.",
    removed: "L'animateur a retiré ce téléphone de la session.",
    too_many_changes: "Non enregistré : ce téléphone a modifié ses réponses trop de fois. Demandez à l'animateur.",
    bad_form: "Non enregistré : ce formulaire ne vient pas de cette page. Rechargez la page et réessayez.",
    bad_score: "Non enregistré : une note est un nombre entier de 0 à 4.",
    name_too_long: "Non enregistré : le nom est trop long (80 caractères au plus).",
    text_too_long: "Non enregistré : le texte est trop long (200 caractères au plus).",
    invisible: "Non enregistré : votre nom ou votre phrase contient un caractère invisible (qui peut inverser ou cacher du texte). Retapez-le sans ce caractère.",
    join_heading: "Rejoindre la session",
    join_button: "Rejoindre",
    wrong_code: "Ce n'est pas le code affiché à l'écran. Vérifiez-le et réessayez.",
    codes_off: "Trop de codes erronés ont été saisis : demandez le lien ou le code QR à l'animateur.",
    gaps: [
        "Information",
        "Cohérence des politiques",
        "Financement",
        "Échelle administrative",
        "Capacités",
        "Objectifs",
        "Redevabilité",
    ],
    levels: ["UE", "National", "Régional / État fédéré", "Métropolitain", "Municipal", "Arrondissement"],
    objectives: Some([
        "Coordination verticale et mise en œuvre à la bonne échelle",
        "Cohérence des politiques face à des besoins multidimensionnels (horizontale)",
        "Ressources financières à la mesure des responsabilités locales",
        "Le temps : parcours de vie et changements de statut de résidence",
        "Des espaces de rencontre entre migrants et population native",
        "Capacités et diversité de la fonction publique ; accès aux services de droit commun",
        "Coopération avec les acteurs non étatiques, notamment par des contrats transparents et efficaces",
        "Évaluation des résultats et politiques fondées sur des données probantes",
        "Adéquation entre compétences et emplois",
        "Accès à un logement adéquat",
        "Des mesures de protection sociale alignées sur … (fin inconnue)",
        "Éducation (formulation inconnue)",
    ]),
};

pub static DE: Texts = Texts {
    page_title: "Selbsteinschätzung",
    join_code: "Code auf dem Bildschirm:",
    language: "Sprache",
    name_label: "Ihr Name oder Ihre Stadt (freiwillig)",
    name_hint: "Leer lassen, um anonym zu antworten. Beim Tippen werden die Städte des Atlas vorgeschlagen.",
    scores_heading: "Wie weit erfüllt Ihr Ort jedes Ziel?",
    scores_hint: "0 = gar nicht … 4 = voll",
    no_answer: "keine Antwort",
    gaps_heading: "Koordinationslücken",
    gaps_hint: "Kreuzen Sie jede Verwaltungsebene an, mit der Sie diese Lücke erleben.",
    text_label: "Das eine, was die Koordination hier blockiert (freiwillig)",
    text_hint: "Die Moderation liest es, bevor es dem Raum gezeigt wird.",
    save: "Antworten speichern",
    saved: "Gespeichert. Sie können Ihre Antworten ändern, bis die Runde geschlossen wird.",
    saving: "Wird gespeichert…",
    unsaved: "Änderungen noch nicht gespeichert.",
    offline: "Der Rechner der Moderation ist nicht erreichbar: Ihre letzten Änderungen sind nicht gespeichert.",
    translation_note: "Übersetzung der Ziele: unsere eigene, nicht die der OECD.",
    revealed: "Die Ergebnisse sind auf dem Bildschirm.",
    too_large: "Nicht gespeichert: Ihre Antworten sind zu lang. Kürzen Sie den Text und versuchen Sie es erneut.",
    rate: "Nicht gespeichert: zu viele Anfragen von diesem Telefon. Warten Sie einige Sekunden.",
    full: "Diese Runde ist voll: Es können keine weiteren Telefone beitreten.",
    closed: "Nicht gespeichert: Die Runde ist geschlossen.",
    removed: "Die Moderation hat dieses Telefon aus der Runde entfernt.",
    too_many_changes: "Nicht gespeichert: Dieses Telefon hat seine Antworten zu oft geändert. Fragen Sie die Moderation.",
    bad_form: "Nicht gespeichert: Das Formular stammt nicht von dieser Seite. Laden Sie die Seite neu.",
    bad_score: "Nicht gespeichert: Eine Bewertung ist eine ganze Zahl von 0 bis 4.",
    name_too_long: "Nicht gespeichert: Der Name ist zu lang (höchstens 80 Zeichen).",
    text_too_long: "Nicht gespeichert: Der Text ist zu lang (höchstens 200 Zeichen).",
    invisible: "Nicht gespeichert: Ihr Name oder Satz enthält ein unsichtbares Zeichen (das Text umkehren oder verbergen kann). Tippen Sie ihn ohne dieses Zeichen neu.",
    join_heading: "Der Runde beitreten",
    join_button: "Beitreten",
    wrong_code: "Das ist nicht der Code auf dem Bildschirm. Prüfen Sie ihn und versuchen Sie es erneut.",
    codes_off: "Es wurden zu viele falsche Codes eingegeben: Bitten Sie die Moderation um den Link oder den QR-Code.",
    gaps: [
        "Information",
        "Politikkohärenz",
        "Finanzierung",
        "Verwaltungsmaßstab",
        "Kapazität",
        "Ziele",
        "Rechenschaft",
    ],
    levels: ["EU", "Bund / national", "Land / Region", "Metropolregion", "Gemeinde", "Bezirk"],
    objectives: Some([
        "Vertikale Koordination und Umsetzung auf der richtigen Ebene",
        "Politikkohärenz für vielschichtige Bedürfnisse (horizontal)",
        "Finanzmittel passend zu den lokalen Zuständigkeiten",
        "Zeit: Lebensläufe und Wechsel des Aufenthaltsstatus",
        "Räume der Begegnung zwischen Zugewanderten und Einheimischen",
        "Kapazität und Vielfalt des öffentlichen Dienstes; Zugang zu Regeldiensten",
        "Zusammenarbeit mit nichtstaatlichen Akteuren, auch durch transparente und wirksame Verträge",
        "Bewertung der Ergebnisse und evidenzbasierte Politik",
        "Qualifikationen und Arbeitsplätze zusammenbringen",
        "Zugang zu angemessenem Wohnraum",
        "Sozialleistungen im Einklang mit … (Ende unbekannt)",
        "Bildung (Wortlaut unbekannt)",
    ]),
};

pub static ES: Texts = Texts {
    page_title: "Autoevaluación",
    join_code: "Código en la pantalla:",
    language: "Idioma",
    name_label: "Su nombre o su ciudad (opcional)",
    name_hint: "Déjelo vacío para responder de forma anónima. Al escribir se proponen las ciudades del atlas.",
    scores_heading: "¿En qué medida cumple su territorio cada objetivo?",
    scores_hint: "0 = nada … 4 = plenamente",
    no_answer: "sin respuesta",
    gaps_heading: "Brechas de coordinación",
    gaps_hint: "Marque cada nivel de gobierno con el que tiene esta brecha.",
    text_label: "Lo que más bloquea la coordinación aquí (opcional)",
    text_hint: "La persona que modera lo lee antes de mostrarlo a la sala.",
    save: "Guardar mis respuestas",
    saved: "Guardado. Puede cambiar sus respuestas hasta que se cierre la ronda.",
    saving: "Guardando…",
    unsaved: "Cambios aún no guardados.",
    offline: "No se puede contactar con el ordenador de la moderación: sus últimos cambios no están guardados.",
    translation_note: "Traducción de los objetivos: nuestra, no de la OCDE.",
    revealed: "Los resultados están en la pantalla.",
    too_large: "No guardado: sus respuestas son demasiado largas. Acorte el texto e inténtelo de nuevo.",
    rate: "No guardado: demasiadas solicitudes desde este teléfono. Espere unos segundos.",
    full: "Esta ronda está completa: no pueden unirse más teléfonos.",
    closed: "No guardado: la ronda está cerrada.",
    removed: "La moderación ha retirado este teléfono de la ronda.",
    too_many_changes: "No guardado: este teléfono ha cambiado sus respuestas demasiadas veces. Consulte a la moderación.",
    bad_form: "No guardado: el formulario no procede de esta página. Recargue la página.",
    bad_score: "No guardado: una puntuación es un número entero de 0 a 4.",
    name_too_long: "No guardado: el nombre es demasiado largo (80 caracteres como máximo).",
    text_too_long: "No guardado: el texto es demasiado largo (200 caracteres como máximo).",
    invisible: "No guardado: su nombre o su frase contiene un carácter invisible (que puede invertir u ocultar texto). Escríbalo de nuevo sin él.",
    join_heading: "Unirse a la ronda",
    join_button: "Unirse",
    wrong_code: "Ese no es el código de la pantalla. Compruébelo e inténtelo de nuevo.",
    codes_off: "Se han escrito demasiados códigos erróneos: pida el enlace o el código QR a quien modera.",
    gaps: [
        "Información",
        "Coherencia de políticas",
        "Financiación",
        "Escala administrativa",
        "Capacidad",
        "Objetivos",
        "Rendición de cuentas",
    ],
    levels: ["UE", "Nacional", "Regional / autonómico", "Metropolitano", "Municipal", "Distrito"],
    objectives: Some([
        "Coordinación vertical y aplicación a la escala adecuada",
        "Coherencia de políticas ante necesidades multidimensionales (horizontal)",
        "Recursos financieros acordes con las responsabilidades locales",
        "El tiempo: trayectorias vitales y cambios de situación de residencia",
        "Espacios de encuentro entre personas migrantes y población nativa",
        "Capacidad y diversidad de la función pública; acceso a los servicios generales",
        "Cooperación con actores no estatales, también mediante contratos transparentes y eficaces",
        "Evaluación de resultados y políticas basadas en datos",
        "Adecuar competencias y empleos",
        "Acceso a una vivienda adecuada",
        "Medidas de protección social alineadas con … (final desconocido)",
        "Educación (redacción desconocida)",
    ]),
};

pub static IT: Texts = Texts {
    page_title: "Autovalutazione",
    join_code: "Codice sullo schermo:",
    language: "Lingua",
    name_label: "Il suo nome o la sua città (facoltativo)",
    name_hint: "Lasci vuoto per rispondere in forma anonima. Mentre scrive vengono proposte le città dell'atlante.",
    scores_heading: "Quanto il suo territorio raggiunge ciascun obiettivo?",
    scores_hint: "0 = per niente … 4 = pienamente",
    no_answer: "nessuna risposta",
    gaps_heading: "Lacune di coordinamento",
    gaps_hint: "Spunti ogni livello di governo con cui incontra questa lacuna.",
    text_label: "La cosa che più blocca il coordinamento qui (facoltativo)",
    text_hint: "Chi modera la legge prima di mostrarla alla sala.",
    save: "Salva le mie risposte",
    saved: "Salvato. Può cambiare le risposte fino alla chiusura.",
    saving: "Salvataggio…",
    unsaved: "Modifiche non ancora salvate.",
    offline: "Il computer di chi modera non è raggiungibile: le ultime modifiche non sono salvate.",
    translation_note: "Traduzione degli obiettivi: nostra, non dell'OCSE.",
    revealed: "I risultati sono sullo schermo.",
    too_large: "Non salvato: le risposte sono troppo lunghe. Accorci il testo e riprovi.",
    rate: "Non salvato: troppe richieste da questo telefono. Attenda qualche secondo.",
    full: "Questa sessione è completa: nessun altro telefono può partecipare.",
    closed: "Non salvato: le risposte sono chiuse.",
    removed: "Chi modera ha rimosso questo telefono dalla sessione.",
    too_many_changes: "Non salvato: questo telefono ha cambiato le risposte troppe volte. Chieda a chi modera.",
    bad_form: "Non salvato: il modulo non proviene da questa pagina. Ricarichi la pagina.",
    bad_score: "Non salvato: un punteggio è un numero intero da 0 a 4.",
    name_too_long: "Non salvato: il nome è troppo lungo (al massimo 80 caratteri).",
    text_too_long: "Non salvato: il testo è troppo lungo (al massimo 200 caratteri).",
    invisible: "Non salvato: il nome o la frase contiene un carattere invisibile (che può invertire o nascondere il testo). Riscrivilo senza quel carattere.",
    join_heading: "Partecipa alla sessione",
    join_button: "Partecipa",
    wrong_code: "Non è il codice sullo schermo. Controllalo e riprova.",
    codes_off: "Sono stati digitati troppi codici errati: chiedi il link o il codice QR a chi conduce.",
    gaps: [
        "Informazione",
        "Coerenza delle politiche",
        "Finanziamento",
        "Scala amministrativa",
        "Capacità",
        "Obiettivi",
        "Responsabilità",
    ],
    levels: ["UE", "Nazionale", "Regionale", "Metropolitano", "Comunale", "Municipio / quartiere"],
    objectives: Some([
        "Coordinamento verticale e attuazione alla scala giusta",
        "Coerenza delle politiche per bisogni multidimensionali (orizzontale)",
        "Risorse finanziarie commisurate alle responsabilità locali",
        "Il tempo: percorsi di vita e cambiamenti dello status di residenza",
        "Spazi di incontro tra migranti e popolazione nativa",
        "Capacità e diversità della pubblica amministrazione; accesso ai servizi ordinari",
        "Cooperazione con attori non statali, anche tramite contratti trasparenti ed efficaci",
        "Valutazione dei risultati e politiche basate su evidenze",
        "Far incontrare competenze e lavoro",
        "Accesso a un alloggio adeguato",
        "Misure di welfare allineate con … (finale sconosciuto)",
        "Istruzione (formulazione sconosciuta)",
    ]),
};

pub static EL: Texts = Texts {
    page_title: "Αυτοαξιολόγηση",
    join_code: "Κωδικός στην οθόνη:",
    language: "Γλώσσα",
    name_label: "Το όνομά σας ή η πόλη σας (προαιρετικό)",
    name_hint: "Αφήστε το κενό για να απαντήσετε ανώνυμα. Καθώς πληκτρολογείτε προτείνονται οι πόλεις του άτλαντα.",
    scores_heading: "Σε ποιο βαθμό ο τόπος σας επιτυγχάνει κάθε στόχο;",
    scores_hint: "0 = καθόλου … 4 = πλήρως",
    no_answer: "χωρίς απάντηση",
    gaps_heading: "Κενά συντονισμού",
    gaps_hint: "Επιλέξτε κάθε επίπεδο διακυβέρνησης με το οποίο αντιμετωπίζετε αυτό το κενό.",
    text_label: "Το ένα πράγμα που εμποδίζει τον συντονισμό εδώ (προαιρετικό)",
    text_hint: "Ο συντονιστής το διαβάζει πριν το δείξει στην αίθουσα.",
    save: "Αποθήκευση απαντήσεων",
    saved: "Αποθηκεύτηκε. Μπορείτε να αλλάξετε τις απαντήσεις σας μέχρι να κλείσει ο γύρος.",
    saving: "Αποθήκευση…",
    unsaved: "Οι αλλαγές δεν έχουν αποθηκευτεί ακόμη.",
    offline: "Ο υπολογιστής του συντονιστή δεν είναι προσβάσιμος: οι τελευταίες αλλαγές σας δεν αποθηκεύτηκαν.",
    translation_note: "Μετάφραση των στόχων: δική μας, όχι του ΟΟΣΑ.",
    revealed: "Τα αποτελέσματα είναι στην οθόνη.",
    too_large: "Δεν αποθηκεύτηκε: οι απαντήσεις είναι πολύ μεγάλες. Συντομεύστε το κείμενο και δοκιμάστε ξανά.",
    rate: "Δεν αποθηκεύτηκε: πάρα πολλά αιτήματα από αυτό το τηλέφωνο. Περιμένετε λίγα δευτερόλεπτα.",
    full: "Ο γύρος είναι πλήρης: δεν μπορούν να συνδεθούν άλλα τηλέφωνα.",
    closed: "Δεν αποθηκεύτηκε: ο γύρος έχει κλείσει.",
    removed: "Ο συντονιστής αφαίρεσε αυτό το τηλέφωνο από τον γύρο.",
    too_many_changes: "Δεν αποθηκεύτηκε: αυτό το τηλέφωνο άλλαξε τις απαντήσεις του πάρα πολλές φορές. Ρωτήστε τον συντονιστή.",
    bad_form: "Δεν αποθηκεύτηκε: η φόρμα δεν προέρχεται από αυτή τη σελίδα. Φορτώστε ξανά τη σελίδα.",
    bad_score: "Δεν αποθηκεύτηκε: η βαθμολογία είναι ακέραιος αριθμός από 0 έως 4.",
    name_too_long: "Δεν αποθηκεύτηκε: το όνομα είναι πολύ μεγάλο (έως 80 χαρακτήρες).",
    text_too_long: "Δεν αποθηκεύτηκε: το κείμενο είναι πολύ μεγάλο (έως 200 χαρακτήρες).",
    invisible: "Δεν αποθηκεύτηκε: το όνομα ή η φράση σας περιέχει έναν αόρατο χαρακτήρα (που μπορεί να αντιστρέψει ή να κρύψει κείμενο). Πληκτρολογήστε το ξανά χωρίς αυτόν.",
    join_heading: "Συμμετοχή στον γύρο",
    join_button: "Συμμετοχή",
    wrong_code: "Αυτός δεν είναι ο κωδικός της οθόνης. Ελέγξτε τον και δοκιμάστε ξανά.",
    codes_off: "Πληκτρολογήθηκαν πάρα πολλοί λάθος κωδικοί: ζητήστε τον σύνδεσμο ή τον κωδικό QR από τον συντονιστή.",
    gaps: [
        "Πληροφόρηση",
        "Συνοχή πολιτικών",
        "Χρηματοδότηση",
        "Διοικητική κλίμακα",
        "Ικανότητες",
        "Στόχοι",
        "Λογοδοσία",
    ],
    levels: ["ΕΕ", "Εθνικό", "Περιφερειακό", "Μητροπολιτικό", "Δημοτικό", "Δημοτική κοινότητα"],
    objectives: Some([
        "Κάθετος συντονισμός και εφαρμογή στη σωστή κλίμακα",
        "Συνοχή πολιτικών για πολυδιάστατες ανάγκες (οριζόντια)",
        "Οικονομικοί πόροι ανάλογοι με τις τοπικές αρμοδιότητες",
        "Ο χρόνος: πορείες ζωής και αλλαγές καθεστώτος διαμονής",
        "Χώροι συνάντησης μεταναστών και γηγενών",
        "Ικανότητες και πολυμορφία της δημόσιας διοίκησης· πρόσβαση στις γενικές υπηρεσίες",
        "Συνεργασία με μη κρατικούς φορείς, και μέσω διαφανών και αποτελεσματικών συμβάσεων",
        "Αξιολόγηση αποτελεσμάτων και τεκμηριωμένη πολιτική",
        "Αντιστοίχιση δεξιοτήτων και θέσεων εργασίας",
        "Πρόσβαση σε επαρκή στέγαση",
        "Μέτρα κοινωνικής πρόνοιας ευθυγραμμισμένα με … (το τέλος είναι άγνωστο)",
        "Εκπαίδευση (η διατύπωση είναι άγνωστη)",
    ]),
};

pub static SV: Texts = Texts {
    page_title: "Självskattning",
    join_code: "Kod på skärmen:",
    language: "Språk",
    name_label: "Ditt namn eller din stad (frivilligt)",
    name_hint: "Lämna tomt för att svara anonymt. Atlasens städer föreslås medan du skriver.",
    scores_heading: "Hur väl uppfyller din ort varje mål?",
    scores_hint: "0 = inte alls … 4 = helt",
    no_answer: "inget svar",
    gaps_heading: "Samordningsluckor",
    gaps_hint: "Kryssa för varje förvaltningsnivå där ni har denna lucka.",
    text_label: "Det som mest blockerar samordningen här (frivilligt)",
    text_hint: "Samtalsledaren läser det innan det visas för rummet.",
    save: "Spara mina svar",
    saved: "Sparat. Du kan ändra dina svar tills svarandet stängs.",
    saving: "Sparar…",
    unsaved: "Ändringar ännu inte sparade.",
    offline: "Samtalsledarens dator går inte att nå: dina senaste ändringar är inte sparade.",
    translation_note: "Översättning av målen: vår egen, inte OECD:s.",
    revealed: "Resultaten visas på skärmen.",
    too_large: "Inte sparat: dina svar är för långa. Korta texten och försök igen.",
    rate: "Inte sparat: för många förfrågningar från denna telefon. Vänta några sekunder.",
    full: "Omgången är full: inga fler telefoner kan ansluta.",
    closed: "Inte sparat: svarandet är stängt.",
    removed: "Samtalsledaren har tagit bort denna telefon från omgången.",
    too_many_changes: "Inte sparat: denna telefon har ändrat sina svar för många gånger. Fråga samtalsledaren.",
    bad_form: "Inte sparat: formuläret kommer inte från denna sida. Ladda om sidan.",
    bad_score: "Inte sparat: ett betyg är ett heltal från 0 till 4.",
    name_too_long: "Inte sparat: namnet är för långt (högst 80 tecken).",
    text_too_long: "Inte sparat: texten är för lång (högst 200 tecken).",
    invisible: "Inte sparat: ditt namn eller din rad innehåller ett osynligt tecken (som kan vända eller dölja text). Skriv det igen utan det tecknet.",
    join_heading: "Gå med i omgången",
    join_button: "Gå med",
    wrong_code: "Det är inte koden på skärmen. Kontrollera den och försök igen.",
    codes_off: "För många felaktiga koder har skrivits: be samtalsledaren om länken eller QR-koden.",
    gaps: [
        "Information",
        "Samstämmig politik",
        "Finansiering",
        "Administrativ skala",
        "Kapacitet",
        "Mål",
        "Ansvarsskyldighet",
    ],
    levels: ["EU", "Nationell", "Regional", "Storstadsregion", "Kommunal", "Stadsdel"],
    objectives: Some([
        "Vertikal samordning och genomförande på rätt nivå",
        "Samstämmig politik för mångdimensionella behov (horisontell)",
        "Ekonomiska resurser som motsvarar det lokala ansvaret",
        "Tid: livsförlopp och ändrad uppehållsstatus",
        "Mötesplatser för migranter och infödda",
        "Offentliga förvaltningens kapacitet och mångfald; tillgång till allmän service",
        "Samarbete med icke-statliga aktörer, bland annat genom öppna och effektiva avtal",
        "Utvärdering av resultat och evidensbaserad politik",
        "Matcha kompetens med jobb",
        "Tillgång till lämplig bostad",
        "Sociala välfärdsåtgärder i linje med … (slutet okänt)",
        "Utbildning (ordalydelsen okänd)",
    ]),
};

pub static NL: Texts = Texts {
    page_title: "Zelfevaluatie",
    join_code: "Code op het scherm:",
    language: "Taal",
    name_label: "Uw naam of uw stad (optioneel)",
    name_hint: "Laat leeg om anoniem te antwoorden. Tijdens het typen worden de steden van de atlas voorgesteld.",
    scores_heading: "In hoeverre haalt uw gemeente elk doel?",
    scores_hint: "0 = helemaal niet … 4 = volledig",
    no_answer: "geen antwoord",
    gaps_heading: "Hiaten in de coördinatie",
    gaps_hint: "Vink elk bestuursniveau aan waarmee u dit hiaat ervaart.",
    text_label: "Het ene dat de coördinatie hier blokkeert (optioneel)",
    text_hint: "De gespreksleider leest het voordat het aan de zaal wordt getoond.",
    save: "Mijn antwoorden opslaan",
    saved: "Opgeslagen. U kunt uw antwoorden wijzigen tot het antwoorden wordt gesloten.",
    saving: "Opslaan…",
    unsaved: "Wijzigingen nog niet opgeslagen.",
    offline: "De computer van de gespreksleider is onbereikbaar: uw laatste wijzigingen zijn niet opgeslagen.",
    translation_note: "Vertaling van de doelen: de onze, niet die van de OESO.",
    revealed: "De resultaten staan op het scherm.",
    too_large: "Niet opgeslagen: uw antwoorden zijn te lang. Maak de tekst korter en probeer opnieuw.",
    rate: "Niet opgeslagen: te veel verzoeken van deze telefoon. Wacht enkele seconden.",
    full: "Deze ronde is vol: er kunnen geen telefoons meer bij.",
    closed: "Niet opgeslagen: het antwoorden is gesloten.",
    removed: "De gespreksleider heeft deze telefoon uit de ronde verwijderd.",
    too_many_changes: "Niet opgeslagen: deze telefoon heeft zijn antwoorden te vaak gewijzigd. Vraag de gespreksleider.",
    bad_form: "Niet opgeslagen: het formulier komt niet van deze pagina. Laad de pagina opnieuw.",
    bad_score: "Niet opgeslagen: een score is een geheel getal van 0 tot 4.",
    name_too_long: "Niet opgeslagen: de naam is te lang (hoogstens 80 tekens).",
    text_too_long: "Niet opgeslagen: de tekst is te lang (hoogstens 200 tekens).",
    invisible: "Niet opgeslagen: uw naam of zin bevat een onzichtbaar teken (dat tekst kan omdraaien of verbergen). Typ hem opnieuw zonder dat teken.",
    join_heading: "Deelnemen aan de ronde",
    join_button: "Deelnemen",
    wrong_code: "Dat is niet de code op het scherm. Controleer hem en probeer het opnieuw.",
    codes_off: "Er zijn te veel verkeerde codes getypt: vraag de begeleider om de link of de QR-code.",
    gaps: [
        "Informatie",
        "Beleidssamenhang",
        "Financiering",
        "Bestuurlijke schaal",
        "Capaciteit",
        "Doelen",
        "Verantwoording",
    ],
    levels: ["EU", "Nationaal", "Regionaal / provinciaal", "Metropolitaan", "Gemeentelijk", "Stadsdeel"],
    objectives: Some([
        "Verticale coördinatie en uitvoering op de juiste schaal",
        "Beleidssamenhang voor veelzijdige behoeften (horizontaal)",
        "Financiële middelen die passen bij de lokale taken",
        "Tijd: levenslopen en wijzigingen van verblijfsstatus",
        "Ontmoetingsplekken voor migranten en autochtone inwoners",
        "Capaciteit en diversiteit van het ambtenarenapparaat; toegang tot algemene voorzieningen",
        "Samenwerking met niet-overheidsactoren, ook via transparante en doeltreffende contracten",
        "Beoordeling van resultaten en empirisch onderbouwd beleid",
        "Vaardigheden en banen op elkaar afstemmen",
        "Toegang tot passende huisvesting",
        "Sociale voorzieningen afgestemd op … (einde onbekend)",
        "Onderwijs (formulering onbekend)",
    ]),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_phone_language_is_chosen_by_preference() {
        assert_eq!(Lang::from_accept_language("fr-CH, fr;q=0.9, en;q=0.8"), Lang::Fr);
        assert_eq!(Lang::from_accept_language("ja, el;q=0.5, de;q=0.7"), Lang::De);
        assert_eq!(Lang::from_accept_language("ja"), Lang::En);
        assert_eq!(Lang::from_accept_language(""), Lang::En);
        assert_eq!(Lang::from_accept_language("sv;q=0, nl"), Lang::Nl);
    }

    #[test]
    fn every_language_but_english_is_marked_as_our_translation() {
        for lang in Lang::ALL {
            let t = lang.texts();
            assert_eq!(t.objectives.is_none(), lang == Lang::En);
            assert_eq!(t.translation_note.is_empty(), lang == Lang::En, "{lang:?}");
            assert!(t.gaps.iter().chain(&t.levels).all(|s| !s.is_empty()));
        }
    }
}
