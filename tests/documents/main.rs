//! Pushed documents read as text: Word files, saved web pages and PDFs
//! written by the tests themselves, and broken files that must give an
//! error, never a panic; the fuzz targets' seeds and findings, replayed.

mod bad_input;
mod docx;
mod fuzz_inputs;
mod hostile;
mod html;
mod pdf;
