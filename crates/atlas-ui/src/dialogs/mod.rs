//! Windows over the views: save and open (`files`), the survey answer import, the own-record form, the author's
//! name prompt, global search and Help. Like views, dialogs push commands and never write.

pub mod author;
pub mod files;
pub mod help;
pub mod import_answers;
pub mod record_form;
pub mod search;
