//! The words page clutter is known by, one list per kind, read from
//! `data/reading/*.txt` (one word a line, `#` comments): the paste reader
//! (`page::paste`), the web page reader (`document::html`) and the push
//! report (`reply::text`) all read these lists, so a word added here is
//! known everywhere at once.
//!
//! A list holds words as the readers compare them: half-width and lower
//! case (`首页>`, `icp备`). Nothing here decides anything; the rules stay
//! with their readers.

use std::ops::Deref;
use std::sync::LazyLock;

/// One list of words, in the order of its file.
#[derive(Debug)]
pub struct Words(Vec<&'static str>);

impl Words {
    /// Reads a list: one word a line, blank lines and `#` comments skipped,
    /// spaces around a word taken off.
    pub fn parse(text: &'static str) -> Words {
        Words(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect(),
        )
    }

    /// The same words, longer ones first (for lists whose words are cut out
    /// of a line one after another: `中级会员` goes before `中`).
    pub fn longest_first(mut self) -> Words {
        self.0.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        self
    }

    /// The words of several lists, in their order.
    pub fn union(lists: &[&Words]) -> Words {
        Words(lists.iter().flat_map(|l| l.0.iter().copied()).collect())
    }
}

impl Deref for Words {
    type Target = [&'static str];
    fn deref(&self) -> &[&'static str] {
        &self.0
    }
}

/// Declares a list read from `data/reading/<file>`.
macro_rules! list {
    ($(#[$doc:meta])* $name:ident, $file:literal) => {
        $(#[$doc])*
        pub static $name: LazyLock<Words> = LazyLock::new(|| {
            Words::parse(include_str!(concat!("../../data/reading/", $file)))
        });
    };
}

list!(
    /// Print, close, save, share and font buttons (`【打印本页】`, `字体：大 中 小`).
    PAGE_TOOLS,
    "page-tools.txt"
);
list!(
    /// WeChat, forum and portal buttons and labels (`点击上方蓝字`, `只看该作者`).
    CHROME_WORDS,
    "chrome-words.txt"
);
list!(
    /// Words of a forum member's stats line (`UID 帖子 积分`).
    FORUM_STATS,
    "forum-stats.txt"
);
list!(
    /// Openings of a forum post's or a shared article's note (`发表于`, `以下文章来源于`).
    POST_NOTES,
    "post-notes.txt"
);
list!(
    /// Links to the previous and next article (`上一篇`).
    PAGE_LINKS,
    "page-links.txt"
);
list!(
    /// Openings of the lines that end an article (`相关新闻`, `阅读原文`, `版权所有`).
    END_OPENERS,
    "end-openers.txt"
);
list!(
    /// Forum buttons and floors that open the replies (`回复举报`, `沙发`).
    REPLY_MARKERS,
    "reply-markers.txt"
);
list!(
    /// Words of a repost's disclaimer or forwarding note (`侵权`, `转载请注明`).
    DISCLAIMERS,
    "disclaimers.txt"
);
list!(
    /// Words of a site's footer (`icp备`, `版权所有`).
    FOOTER_MARKS,
    "footer-marks.txt"
);
list!(
    /// Endings of a site's, paper's or account's name (`网`, `日报`, `公众号`).
    SITE_ENDINGS,
    "site-endings.txt"
);
list!(
    /// Openings of a breadcrumb (`当前位置`, `首页>`).
    BREADCRUMB_OPENERS,
    "breadcrumb-openers.txt"
);
list!(
    /// Openings of a credit line without a colon (`记者`, `文/`, `作者`).
    CREDIT_OPENERS,
    "credit-openers.txt"
);
list!(
    /// Role words between the names of a credit line (`记者`, `通讯员`, `图`).
    CREDIT_ROLES,
    "credit-roles.txt"
);
list!(
    /// Decorations before a headline (`【转发】`).
    TITLE_PREFIXES,
    "title-prefixes.txt"
);
list!(
    /// Decorations after a headline (`(图)`).
    TITLE_SUFFIXES,
    "title-suffixes.txt"
);
list!(
    /// Keys of a meta line's date fields (`发布日期`).
    DATE_FIELDS,
    "fields-date.txt"
);
list!(
    /// Keys of a meta line's source fields (`来源`).
    SOURCE_FIELDS,
    "fields-source.txt"
);
list!(
    /// Keys of a meta line's writer fields (`作者`, `记者`).
    AUTHOR_FIELDS,
    "fields-author.txt"
);
list!(
    /// Keys of a meta line's credit fields (`责任编辑`, `摄影`).
    CREDIT_FIELDS,
    "fields-credit.txt"
);
list!(
    /// Keys of a meta line's counters and panel fields (`浏览次数`, `索引号`).
    NOISE_FIELDS,
    "fields-noise.txt"
);
list!(
    /// First words of a heading over other articles (`相关`, `推荐`).
    RELATED_HEADS,
    "related-heads.txt"
);
list!(
    /// Last words of a heading over other articles (`新闻`, `阅读`).
    RELATED_TAILS,
    "related-tails.txt"
);
list!(
    /// Words of a web page's date line (`发布`, `来源`), anywhere in it.
    META_HINTS,
    "meta-hints.txt"
);
list!(
    /// Words of a site's navigation (`返回`, `查看原文`): not a headline's.
    NAVIGATION,
    "navigation.txt"
);
list!(
    /// Prompts to listen, follow or subscribe (`点击上方蓝字`, `听全文`).
    FOLLOW_PROMPTS,
    "follow-prompts.txt"
);
list!(
    /// Openings of a photo's caption (`图为`, `图片来源`).
    CAPTION_OPENERS,
    "caption-openers.txt"
);
list!(
    /// Keys of a field naming the article (`标题:`, `信息名称:`).
    TITLE_KEYS,
    "title-keys.txt"
);
list!(
    /// Keys of a repost's original headline (`原标题`, `原题`).
    ORIGINAL_TITLE_KEYS,
    "original-title-keys.txt"
);
list!(
    /// A forum's login and sign-up prompts (`马上注册`, `没有帐号`).
    FORUM_PROMPTS,
    "forum-prompts.txt"
);
list!(
    /// Words of spam lines slipped into a mirror's copy (`百家乐`, `高息放贷`).
    SPAM,
    "spam.txt"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_skips_comments_and_blank_lines_and_trims_words() {
        let words = Words::parse("# a comment\n\n 上一篇 \n下一篇\n#\n");
        assert_eq!(&*words, &["上一篇", "下一篇"]);
    }

    #[test]
    fn longest_first_puts_a_word_before_the_words_it_holds() {
        let words = Words::parse("中\n中级会员\n大").longest_first();
        assert_eq!(&*words, &["中级会员", "中", "大"]);
    }

    #[test]
    fn every_list_has_words_and_none_twice() {
        let lists: [(&str, &Words); 30] = [
            ("page tools", &PAGE_TOOLS),
            ("chrome words", &CHROME_WORDS),
            ("forum stats", &FORUM_STATS),
            ("post notes", &POST_NOTES),
            ("page links", &PAGE_LINKS),
            ("end openers", &END_OPENERS),
            ("reply markers", &REPLY_MARKERS),
            ("disclaimers", &DISCLAIMERS),
            ("footer marks", &FOOTER_MARKS),
            ("site endings", &SITE_ENDINGS),
            ("breadcrumb openers", &BREADCRUMB_OPENERS),
            ("title prefixes", &TITLE_PREFIXES),
            ("title suffixes", &TITLE_SUFFIXES),
            ("date fields", &DATE_FIELDS),
            ("source fields", &SOURCE_FIELDS),
            ("author fields", &AUTHOR_FIELDS),
            ("credit fields", &CREDIT_FIELDS),
            ("noise fields", &NOISE_FIELDS),
            ("related heads", &RELATED_HEADS),
            ("related tails", &RELATED_TAILS),
            ("meta hints", &META_HINTS),
            ("navigation", &NAVIGATION),
            ("follow prompts", &FOLLOW_PROMPTS),
            ("caption openers", &CAPTION_OPENERS),
            ("title keys", &TITLE_KEYS),
            ("original title keys", &ORIGINAL_TITLE_KEYS),
            ("forum prompts", &FORUM_PROMPTS),
            ("spam", &SPAM),
            ("credit openers", &CREDIT_OPENERS),
            ("credit roles", &CREDIT_ROLES),
        ];
        for (name, words) in lists {
            assert!(!words.is_empty(), "{name}: empty");
            for (i, w) in words.iter().enumerate() {
                assert!(!words[..i].contains(w), "{name}: {w} twice");
            }
        }
    }
}
