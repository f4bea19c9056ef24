//! Newspaper page text → articles (placeholder; being written).
