//! The participant page: one HTML form that works without JavaScript (the script only saves as you go and shows
//! validation at once). Every string that comes from a user or the database goes through [`escape`]; the page holds
//! no inline script or style, so the strict `Content-Security-Policy` of [`super::server`] applies whole.

use std::fmt::Write;

use super::i18n::{Lang, Texts};
use super::{PhoneAnswers, RoundForm, Step};

/// The longest name or city a participant may give, in characters.
pub const MAX_NAME_CHARS: usize = 80;
/// The longest free-text line, in characters.
pub const MAX_TEXT_CHARS: usize = 200;

pub use atlas_core::text::escape_html as escape;

/// What the status line says, and whether it is a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    None,
    Saved,
    Refused(&'static str),
}

/// What one page shows.
pub struct PageData<'a> {
    pub form: &'a RoundForm,
    /// The URL token, for the form's action and the static files.
    pub token: &'a str,
    pub join_code: &'a str,
    pub lang: Lang,
    /// The phone's answers so far, and the name it gave; `None` when the phone may not answer (full, removed).
    pub answers: Option<(&'a PhoneAnswers, &'a str)>,
    /// The id this page's submission carries (a retry of it is recognised).
    pub submission: &'a str,
    pub status: Status,
    pub revealed: bool,
    /// The question the room is on when paced, with its place (1-based) and the number of questions.
    pub step: Option<(Step, usize, usize)>,
}

/// The objective's text in `lang`: our translation, else the atlas's English.
pub fn objective_text<'a>(texts: &'a Texts, number: i64, english: &'a str) -> &'a str {
    match (texts.objectives, usize::try_from(number)) {
        (Some(list), Ok(n)) if (1..=12).contains(&n) => list[n - 1],
        _ => english,
    }
}

/// The short address's page: the join code field, with a refusal when one was typed wrong.
pub fn join_page(lang: Lang, message: Option<&str>) -> String {
    let t = lang.texts();
    let mut h = String::with_capacity(2_000);
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n<title>{heading}</title>\n\
         <link rel=\"stylesheet\" href=\"/static/style.css\">\n</head>\n<body>\n<main>\n<h1>{heading}</h1>\n\
         <form method=\"get\" action=\"/join\">\n<div class=\"field\"><label for=\"code\">{label}</label>\n\
         <input id=\"code\" name=\"code\" type=\"text\" inputmode=\"numeric\" autocomplete=\"off\" maxlength=\"8\" \
         required></div>\n<button type=\"submit\">{button}</button>\n\
         <p id=\"saved\" class=\"status{class}\" role=\"{role}\" aria-live=\"polite\">{message}</p>\n\
         </form>\n</main>\n</body>\n</html>\n",
        lang = lang.code(),
        heading = escape(t.join_heading),
        label = escape(t.join_code),
        button = escape(t.join_button),
        class = if message.is_some() { " error" } else { "" },
        role = if message.is_some() { "alert" } else { "status" },
        message = escape(message.unwrap_or_default()),
    );
    h
}

pub fn render(p: &PageData<'_>) -> String {
    let t = p.lang.texts();
    let mut h = String::with_capacity(24_000);
    let base = format!("/{}", p.token);
    let title = escape(&p.form.title);
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <title>{title} · {pt}</title>\n<link rel=\"stylesheet\" href=\"{base}/static/style.css\">\n\
         <script src=\"{base}/static/app.js\" defer></script>\n</head>\n<body>\n",
        lang = p.lang.code(),
        pt = escape(t.page_title),
    );
    let _ = write!(
        h,
        "<header>\n<h1>{title}</h1>\n<p class=\"code\">{jc} <strong>{code}</strong></p>\n\
         <nav aria-label=\"{language}\"><ul class=\"langs\">",
        jc = escape(t.join_code),
        code = escape(p.join_code),
        language = escape(t.language),
    );
    for lang in Lang::ALL {
        let current = if lang == p.lang { " aria-current=\"true\"" } else { "" };
        let _ = write!(
            h,
            "<li><a href=\"{base}/?lang={c}\" hreflang=\"{c}\" lang=\"{c}\"{current}>{n}</a></li>",
            c = lang.code(),
            n = escape(lang.name()),
        );
    }
    h.push_str("</ul></nav>\n</header>\n<main>\n");
    let (class, role, message) = match p.status {
        Status::None => ("status", "status", ""),
        Status::Saved => ("status ok", "status", t.saved),
        Status::Refused(m) => ("status error", "alert", m),
    };
    // The message shows at the top and again beside the save button, where the thumb is; only the one beside the
    // button is announced (it is the live region), so a screen reader hears it once.
    let _ = writeln!(
        h,
        "<p id=\"status\" class=\"{class}\" data-saving=\"{saving}\" data-unsaved=\"{unsaved}\" \
         data-saved=\"{saved}\" data-offline=\"{offline}\">{message}</p>",
        saving = escape(t.saving),
        unsaved = escape(t.unsaved),
        saved = escape(t.saved),
        offline = escape(t.offline),
        message = escape(message),
    );
    let near =
        format!("<p id=\"saved\" class=\"{class}\" role=\"{role}\" aria-live=\"polite\">{}</p>\n", escape(message));
    if p.revealed {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", escape(t.revealed));
    }
    let Some((answers, name)) = p.answers else {
        h.push_str(&near);
        h.push_str("</main>\n</body>\n</html>\n");
        return h;
    };
    if let Some((_, k, n)) = p.step {
        let _ = writeln!(
            h,
            "<p class=\"step\"><strong>{}</strong> · {} <a href=\"{base}/\">{}</a></p>",
            escape(&t.question_of.replace("{k}", &k.to_string()).replace("{n}", &n.to_string())),
            escape(t.follow),
            escape(t.current_link),
        );
    }
    let _ = write!(
        h,
        "<form id=\"answers\" method=\"post\" action=\"{base}/answers\" accept-charset=\"utf-8\"{paced}>\n{step_input}\
         <input type=\"hidden\" name=\"sub\" value=\"{sub}\">\n<input type=\"hidden\" name=\"lang\" value=\"{lang}\">\n\
         <div class=\"field\"><label for=\"name\">{nl}</label>\n\
         <input id=\"name\" name=\"name\" type=\"text\" list=\"cities\" maxlength=\"{max_name}\" autocomplete=\"off\" \
         aria-describedby=\"name-hint\" value=\"{name}\">\n<p id=\"name-hint\" class=\"hint\">{nh}</p></div>\n\
         <datalist id=\"cities\">",
        sub = escape(p.submission),
        lang = p.lang.code(),
        paced = match p.step {
            Some((step, _, _)) => {
                format!(" data-step=\"{}\" data-poll=\"{base}/step\" data-page=\"{base}/\"", step.code())
            }
            None => String::new(),
        },
        step_input = match p.step {
            Some((step, _, _)) => format!("<input type=\"hidden\" name=\"step\" value=\"{}\">\n", step.code()),
            None => String::new(),
        },
        nl = escape(t.name_label),
        nh = escape(t.name_hint),
        max_name = MAX_NAME_CHARS,
        name = escape(name),
    );
    for city in &p.form.cities {
        let _ = write!(h, "<option value=\"{}\">", escape(city));
    }
    h.push_str("</datalist>\n");
    let shows = |step: Step| p.step.is_none_or(|(current, _, _)| current == step);
    if p.form.objectives.iter().any(|(n, _)| shows(Step::Objective(*n))) {
        scores(&mut h, p, t, answers, &shows);
    }
    if shows(Step::Gaps) {
        gaps(&mut h, p, t, answers);
    }
    if shows(Step::Line) {
        let _ = write!(
            h,
            "<div class=\"field\"><label for=\"text\">{tl}</label>\n\
             <input id=\"text\" name=\"text\" type=\"text\" maxlength=\"{max_text}\" autocomplete=\"off\" \
             aria-describedby=\"text-hint\" value=\"{text}\">\n<p id=\"text-hint\" class=\"hint\">{th}</p></div>\n",
            tl = escape(t.text_label),
            th = escape(t.text_hint),
            max_text = MAX_TEXT_CHARS,
            text = escape(answers.text.as_deref().unwrap_or_default()),
        );
    }
    let _ = write!(h, "<button type=\"submit\">{}</button>\n{near}</form>\n", escape(t.save));
    if !t.translation_note.is_empty() {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", escape(t.translation_note));
    }
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

/// The objectives' score scales (only the current one when paced).
fn scores(h: &mut String, p: &PageData<'_>, t: &Texts, answers: &PhoneAnswers, shows: &dyn Fn(Step) -> bool) {
    let _ = write!(
        h,
        "<h2 id=\"scores\">{}</h2>\n<p class=\"hint\" id=\"scores-hint\">{}</p>\n",
        escape(t.scores_heading),
        escape(t.scores_hint)
    );
    for (i, (number, english)) in p.form.objectives.iter().enumerate() {
        if !shows(Step::Objective(*number)) {
            continue;
        }
        let text = objective_text(t, *number, english);
        let given = answers.scores.get(i).copied().flatten();
        let _ = write!(
            h,
            "<fieldset class=\"score\" aria-describedby=\"scores-hint\"><legend>{number}. {}</legend>\
             <div class=\"scale\">",
            escape(text)
        );
        let id = format!("s{number}");
        let checked = if given.is_none() { " checked" } else { "" };
        let _ = write!(
            h,
            "<label class=\"none\"><input type=\"radio\" name=\"{id}\" value=\"\"{checked}><span>{}</span></label>",
            escape(t.no_answer)
        );
        for v in 0..=4u8 {
            let checked = if given == Some(v) { " checked" } else { "" };
            let _ =
                write!(h, "<label><input type=\"radio\" name=\"{id}\" value=\"{v}\"{checked}><span>{v}</span></label>");
        }
        h.push_str("</div></fieldset>\n");
    }
}

/// The gaps question: each gap type with a tick per level of government.
fn gaps(h: &mut String, p: &PageData<'_>, t: &Texts, answers: &PhoneAnswers) {
    let _ = write!(
        h,
        "<h2 id=\"gaps\">{}</h2>\n<p class=\"hint\" id=\"gaps-hint\">{}</p>\n",
        escape(t.gaps_heading),
        escape(t.gaps_hint)
    );
    let levels = p.form.levels;
    for (g, gap) in t.gaps.iter().enumerate().take(p.form.gaps) {
        let _ = write!(
            h,
            "<fieldset class=\"gap\" aria-describedby=\"gaps-hint\"><legend>{}</legend><div class=\"ticks\">",
            escape(gap)
        );
        for (l, level) in t.levels.iter().enumerate().take(levels) {
            let checked = if answers.ticks.get(g * levels + l).copied().unwrap_or(false) { " checked" } else { "" };
            let _ = write!(
                h,
                "<label><input type=\"checkbox\" name=\"t\" value=\"{g}-{l}\"{checked}><span>{}</span></label>",
                escape(level)
            );
        }
        h.push_str("</div></fieldset>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_user_text_is_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
