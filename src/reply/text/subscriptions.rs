//! What members read about deliveries they control: `/subscriptions` with
//! its buttons, a subscription in a mode, the daily digest (and an article
//! struck from it), a subscription link, and the default place.

use super::chinese_date;
use crate::reply::{Block, Item, Offer, Reply};
use crate::request::{Setting, SubscriptionChoice};
use crate::store::{ChatPrefs, DIGEST_HOURS, DeliveryMode, QuietHours};
use chrono::NaiveDate;

/// The name of a delivery mode, as its button says it.
pub fn mode_name(mode: DeliveryMode) -> &'static str {
    match mode {
        DeliveryMode::Each => "每条推送",
        DeliveryMode::Digest => "每日摘要",
        DeliveryMode::Paused => "暂停",
    }
}

/// The name of a quiet-hours choice, as its button says it.
pub fn quiet_name(quiet: QuietHours) -> &'static str {
    match quiet {
        QuietHours::Silent => "静音发送",
        QuietHours::Morning => "早上再发",
    }
}

/// The button for 退订.
pub const BUTTON_UNSUBSCRIBE_SHORT: &str = "退订";

/// The quiet hours, as members read them.
pub const QUIET_HOURS: &str = "22:00–07:00";

/// What a digest line says of an article retracted after the digest went out.
pub const RETRACTED_NOTE: &str = "已撤回";

/// A button's words with the current choice marked.
fn marked(label: &str, current: bool) -> String {
    if current {
        format!("✅{label}")
    } else {
        label.to_string()
    }
}

/// `/subscriptions`: each subscription with its mode, then the digest hour
/// and the quiet hours, with one-tap buttons for each (the current choice
/// marked); `note` first, when a button just changed something.
pub fn subscription_panel(
    subscriptions: &[(u32, String, DeliveryMode)],
    prefs: ChatPrefs,
    note: Option<String>,
) -> Reply {
    let mut reply = Reply::default();
    if let Some(note) = note {
        reply.push(Block::Text(note));
    }
    if subscriptions.is_empty() {
        reply.push(Block::Text("您还没有订阅任何城市。".into()));
        reply.push(Block::Hint(super::SUBSCRIBE_USAGE.into()));
        return reply;
    }
    reply.push(Block::Heading("📬 我的订阅".into()));
    let lines: Vec<String> = subscriptions
        .iter()
        .map(|(_, name, mode)| format!("• {name}：{}", mode_name(*mode)))
        .collect();
    reply.push(Block::Text(lines.join("\n")));
    let hour = prefs.digest_hour;
    reply.push(Block::Text(format!(
        "每日摘要在每天 {hour:02}:00 发送，没有新报道的日子不发。\n夜间（{QUIET_HOURS}）的推送：{}。",
        quiet_name(prefs.quiet)
    )));
    reply.push(Block::Hint(
        "点下面的按钮即可更改：每行对应一个订阅，接着是摘要时间和夜间推送方式。".into(),
    ));
    let several = subscriptions.len() > 1;
    for (code, name, mode) in subscriptions {
        let choices = [
            SubscriptionChoice::Mode(DeliveryMode::Each),
            SubscriptionChoice::Mode(DeliveryMode::Digest),
            SubscriptionChoice::Mode(DeliveryMode::Paused),
            SubscriptionChoice::Unsubscribe,
        ];
        for (i, choice) in choices.into_iter().enumerate() {
            let words = match choice {
                SubscriptionChoice::Mode(m) => marked(mode_name(m), m == *mode),
                SubscriptionChoice::Unsubscribe => BUTTON_UNSUBSCRIBE_SHORT.to_string(),
            };
            let label = if i == 0 && several {
                format!("{name}·{words}")
            } else {
                words
            };
            reply.offers.push(Offer::Setting {
                setting: Setting::Subscription {
                    code: *code,
                    choice,
                },
                label,
            });
        }
    }
    for h in DIGEST_HOURS {
        reply.offers.push(Offer::Setting {
            setting: Setting::DigestHour(h),
            label: marked(&format!("{h}点"), h == hour),
        });
    }
    for quiet in [QuietHours::Silent, QuietHours::Morning] {
        reply.offers.push(Offer::Setting {
            setting: Setting::Quiet(quiet),
            label: marked(&format!("夜间{}", quiet_name(quiet)), quiet == prefs.quiet),
        });
    }
    reply
}

/// What a button just changed, said above the panel.
pub fn setting_changed(setting: Setting, label: &str) -> String {
    match setting {
        Setting::Subscription {
            choice: SubscriptionChoice::Mode(mode),
            ..
        } => format!("已将{label}改为「{}」。", mode_name(mode)),
        Setting::Subscription {
            choice: SubscriptionChoice::Unsubscribe,
            ..
        } => format!("已退订{label}。"),
        Setting::DigestHour(hour) => format!("每日摘要改在每天 {hour:02}:00 发送。"),
        Setting::Quiet(quiet) => {
            format!("夜间（{QUIET_HOURS}）的推送改为「{}」。", quiet_name(quiet))
        }
    }
}

/// A button for a subscription the chat does not have (an old message, or
/// forged data): nothing changes.
pub fn setting_not_subscribed(label: &str) -> Reply {
    Reply::text(format!(
        "您没有订阅{label}，这个按钮不能更改什么。发送 /subscriptions 查看当前的订阅。"
    ))
}

/// A digest hour no button offers (forged data): nothing changes.
pub fn digest_hour_refused() -> Reply {
    let hours: Vec<String> = DIGEST_HOURS.iter().map(|h| format!("{h}点")).collect();
    Reply::text(format!(
        "这个时间不能选。每日摘要可以在 {} 发送，请发送 /subscriptions 用按钮选择。",
        hours.join("、")
    ))
}

/// `/subscribe 湛江 每日` (or a link): the subscription in `mode`, new
/// (`before` none), unchanged, or changed from `before`; `hour` the
/// chat's digest hour.
pub fn subscribed_in_mode(
    label: &str,
    before: Option<DeliveryMode>,
    mode: DeliveryMode,
    hour: u8,
) -> Reply {
    let how = match mode {
        DeliveryMode::Each => "有新报道时我会发给您。".to_string(),
        DeliveryMode::Digest => {
            format!("每天 {hour:02}:00 把新报道汇总成一条发给您，没有新报道的日子不打扰。")
        }
        DeliveryMode::Paused => "暂时不会发给您。".to_string(),
    };
    let name = mode_name(mode);
    let mut reply = Reply::text(match before {
        None => format!("已订阅{label}（{name}）。{how}"),
        Some(b) if b == mode => format!("您已经订阅了{label}（{name}）。"),
        // A plain subscribe keeps the mode chosen before.
        Some(DeliveryMode::Paused) if mode == DeliveryMode::Each => {
            format!(
                "您已经订阅了{label}，目前暂停中，不会发给您。要恢复，请在 /subscriptions 里点「每条推送」或「每日摘要」。"
            )
        }
        Some(b) if mode == DeliveryMode::Each => {
            format!("您已经订阅了{label}（{}）。", mode_name(b))
        }
        Some(_) => format!("{label}已改为「{name}」。{how}"),
    });
    reply.push(Block::Hint(
        "发送 /subscriptions 更改推送方式、摘要时间，或退订。".into(),
    ));
    reply
}

/// The line an admin's subscribe reply adds: the link that subscribes in
/// one tap, for a poster or a QR code (`link` a `t.me` address, or the
/// `/start` command when the bot's name is not known here).
pub fn share_link(label: &str, link: &str) -> Block {
    Block::Hint(format!(
        "张贴或转发这个链接（也可做成二维码），工友点开即可订阅{label}：{link}"
    ))
}

/// `/start sub_…` from a link: welcome, and the subscription made.
pub fn link_subscribed(
    label: &str,
    before: Option<DeliveryMode>,
    mode: DeliveryMode,
    hour: u8,
) -> Reply {
    let mut reply = Reply::text(super::WELCOME);
    let done = subscribed_in_mode(label, before, mode, hour);
    reply.blocks.extend(done.blocks);
    reply.push(Block::Hint(
        "也可以直接问我问题，例如「湛江最近有什么工会活动」。".into(),
    ));
    reply
}

/// `/start` with a parameter this bot did not write (a mistyped or
/// damaged link): the welcome, saying the link is not valid.
pub fn link_invalid(mut welcome: Reply) -> Reply {
    welcome.blocks.insert(
        1,
        Block::Text(
            "这个订阅链接无效（可能是链接不完整或二维码有误），没有为您订阅。可以发送 /subscribe 城市 订阅，例如 /subscribe 湛江。"
                .into(),
        ),
    );
    welcome
}

/// One article of a digest: listed, or struck out since (retracted).
#[derive(Debug, Clone, PartialEq)]
pub enum DigestEntry {
    /// A live article.
    Live(Item),
    /// An article retracted after the digest listed it.
    Retracted {
        /// Its place in the digest.
        rank: usize,
        /// Its headline.
        title: String,
    },
}

/// The daily digest of `day`: the articles released since the last one.
pub fn digest(day: NaiveDate, entries: Vec<DigestEntry>) -> Reply {
    let mut reply = Reply::default();
    reply.push(Block::Heading(format!(
        "🗞 每日摘要 · {}（{} 篇）",
        chinese_date(day),
        entries.len()
    )));
    let mut shown = 0;
    let mut more = Vec::new();
    for entry in entries {
        match entry {
            DigestEntry::Live(item) if shown >= DIGEST_ITEMS_IN_FULL => {
                // A heavy day: the rest in one line each, read by /article.
                more.push(format!(
                    "{}. {}（/article {}）",
                    item.rank, item.title, item.id
                ));
            }
            DigestEntry::Live(item) => {
                shown += 1;
                reply.listed.push(item.id.clone());
                reply.push(Block::Item(item));
            }
            DigestEntry::Retracted { rank, title } => reply.push(Block::Struck {
                text: format!("{rank}. {title}"),
                note: RETRACTED_NOTE.into(),
            }),
        }
    }
    if !more.is_empty() {
        reply.push(Block::Heading(format!("另有 {} 篇：", more.len())));
        reply.push(Block::Text(more.join("\n")));
    }
    reply.push(Block::Hint(
        "发送 /subscriptions 更改推送方式或摘要时间。".into(),
    ));
    reply
}

/// Articles of a digest shown with their summary and a 全文 button; the
/// rest get a line each (Telegram takes 100 buttons under a message).
const DIGEST_ITEMS_IN_FULL: usize = 20;

/// Said before an answer read as about the chat's subscribed city (a
/// question with 附近 or 我们这边 and no place).
pub fn by_subscribed_city(label: &str) -> Block {
    Block::Hint(format!("按您订阅的{label}查找。"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::{to_html, to_plain};

    #[test]
    fn the_panel_marks_each_current_choice_once_and_offers_every_setting() {
        let reply = subscription_panel(
            &[
                (4408, "湛江".into(), DeliveryMode::Digest),
                (0, "全部新闻".into(), DeliveryMode::Each),
            ],
            ChatPrefs {
                digest_hour: 18,
                quiet: QuietHours::Morning,
            },
            None,
        );
        let labels: Vec<&str> = reply
            .offers
            .iter()
            .map(|o| match o {
                Offer::Setting { label, .. } => label.as_str(),
                _ => "",
            })
            .collect();
        assert_eq!(labels.len(), 4 + 4 + DIGEST_HOURS.len() + 2, "{labels:?}");
        assert_eq!(labels[0], "湛江·每条推送");
        assert_eq!(labels[1], "✅每日摘要");
        assert_eq!(labels[4], "全部新闻·✅每条推送");
        assert!(
            labels.contains(&"✅18点") && labels.contains(&"8点"),
            "{labels:?}"
        );
        assert!(labels.contains(&"✅夜间早上再发"), "{labels:?}");
        assert_eq!(labels.iter().filter(|l| l.contains('✅')).count(), 4);
        let plain = to_plain(&reply);
        assert!(
            plain.contains("湛江：每日摘要") && plain.contains("18:00"),
            "{plain}"
        );
    }

    #[test]
    fn a_heavy_days_digest_keeps_every_article_and_its_buttons_within_telegrams_limit() {
        let entries: Vec<DigestEntry> = (1..=45u32)
            .map(|n| {
                DigestEntry::Live(Item {
                    rank: n as usize,
                    id: crate::article::ArticleId::parse(&format!("{n:08x}")).unwrap(),
                    title: format!("第{n}篇报道"),
                    summary: "摘要。".repeat(20),
                    source: "湛江 · 7月1日".into(),
                    why: None,
                    link: None,
                })
            })
            .collect();
        let reply = digest(NaiveDate::from_ymd_opt(2026, 12, 6).unwrap(), entries);
        assert_eq!(reply.listed.len(), DIGEST_ITEMS_IN_FULL);
        let plain = to_plain(&reply);
        assert!(plain.contains("另有 25 篇") && plain.contains("第45篇报道（/article 0000002d）"));
        for part in to_html(&reply) {
            assert!(part.encode_utf16().count() <= crate::reply::TELEGRAM_MESSAGE_LIMIT);
        }
    }

    #[test]
    fn a_digest_lists_live_articles_and_strikes_retracted_ones() {
        let id = crate::article::ArticleId::parse("1a2b3c4d").unwrap();
        let item = Item {
            rank: 1,
            id: id.clone(),
            title: "环卫工人送清凉".into(),
            summary: "湛江市总工会送清凉。".into(),
            source: "湛江 · 7月1日".into(),
            why: None,
            link: None,
        };
        let reply = digest(
            NaiveDate::from_ymd_opt(2026, 12, 6).unwrap(),
            vec![
                DigestEntry::Live(item),
                DigestEntry::Retracted {
                    rank: 2,
                    title: "<撤回的>".into(),
                },
            ],
        );
        assert_eq!(reply.listed, vec![id]);
        let html = to_html(&reply).concat();
        assert!(
            html.contains("2 篇") && html.contains("环卫工人送清凉"),
            "{html}"
        );
        assert!(
            html.contains("<s>2. &lt;撤回的&gt;</s>（已撤回）"),
            "{html}"
        );
    }
}
