//! End-to-end tests: the real desk over a real on-disk store and index, and
//! the real binary driven as a user would (`ask`, `chat` over a pipe, `ingest`).

mod answers;
mod backup;
mod bad_inputs;
mod binary;
mod bot;
mod concurrency;
mod crash;
mod editions;
mod editorial;
mod fake_api;
mod faults;
mod followups;
mod groups;
mod guangdong;
mod hostile_files;
mod html;
mod inbox;
mod pastes;
mod recovery;
mod subscriptions;
mod world;
