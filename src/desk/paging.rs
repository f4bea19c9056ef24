//! [`Paging`]: which slice of a list a reply shows, written once for every
//! list (search results, a city's newest, the newest overall, a period).

/// A page of a list: its 1-based number and how many items a page holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// The page, 1-based.
    pub page: usize,
    /// Items per page.
    pub per_page: usize,
}

impl Paging {
    /// Page `page` (at least 1) of `per_page` items (at least 1).
    pub fn new(page: usize, per_page: usize) -> Self {
        Paging {
            page: page.max(1),
            per_page: per_page.max(1),
        }
    }

    /// Items before this page.
    pub fn offset(&self) -> usize {
        (self.page - 1) * self.per_page
    }

    /// Items up to the end of this page.
    pub fn end(&self) -> usize {
        self.offset() + self.per_page
    }

    /// The 1-based ranks shown when this page shows `shown` items.
    pub fn shown(&self, shown: usize) -> (usize, usize) {
        (self.offset() + 1, self.offset() + shown)
    }

    /// True when items are left after this page, which shows `shown` of `total`.
    pub fn has_next(&self, shown: usize, total: usize) -> bool {
        self.offset() + shown < total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cut_a_list_into_slices_and_know_what_follows() {
        let first = Paging::new(1, 5);
        assert_eq!(
            (first.offset(), first.end(), first.shown(5)),
            (0, 5, (1, 5))
        );
        assert!(first.has_next(5, 6));
        assert!(!first.has_next(5, 5));
        let third = Paging::new(3, 3);
        assert_eq!((third.offset(), third.shown(2)), (6, (7, 8)));
        assert!(!third.has_next(2, 8));
        assert_eq!(Paging::new(0, 0), Paging::new(1, 1));
    }
}
