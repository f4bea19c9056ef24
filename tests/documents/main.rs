//! Pushed documents read as text: Word files, saved web pages and PDFs
//! written by the tests themselves, and broken files that must give an
//! error, never a panic.

mod bad_input;
mod docx;
mod hostile;
mod html;
mod pdf;
