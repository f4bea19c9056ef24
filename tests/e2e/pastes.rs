//! A long paste the Telegram app cut into many messages, sent to the real
//! binary through a fake Bot API server ([`FakeApi`]): the parts arrive as
//! the app sends them, one message each, and the bot's own rate limit and
//! joining rules decide what becomes of them.

use crate::fake_api::{FakeApi, start_bot, stop_bot};
use std::time::Duration;
use union_news_bot::desk::NewsDesk;

const ADMIN: u64 = 777;

/// Telegram's apps cut a message at this many characters, at a line end
/// when they can.
const CLIENT_CUT: usize = 4_000;

/// An article pasted after `/push`, long enough for `parts` messages, cut as
/// the app cuts it.
fn split_paste(parts: usize) -> Vec<String> {
    let mut lines = vec![
        "/push".to_string(),
        "湛江市总工会开展职工技能大练兵活动".to_string(),
        "发布日期：2025-06-10 09:00  来源：湛江市总工会".to_string(),
        "6月9日，湛江市总工会在霞山区启动开篇仪式，港口码头的装卸工人率先登场比武。".to_string(),
    ];
    let units = [
        "港口",
        "电网",
        "医院",
        "纺织厂",
        "羽绒厂",
        "公交公司",
        "学校",
        "化工园区",
    ];
    let skills = [
        "焊接",
        "叉车驾驶",
        "电工",
        "护理",
        "缝纫",
        "机修",
        "安全检查",
    ];
    let mut cuts = Vec::new();
    let mut item = 0;
    while cuts.len() + 1 < parts {
        item += 1;
        let line = format!(
            "第{item}项比武，{}职工参加{}项目，共有{}名职工到场，{}人获评岗位能手。",
            units[item % units.len()],
            skills[item % skills.len()],
            20 + item % 37,
            1 + item % 9
        );
        lines.push(line);
        let joined = lines.join("\n");
        if joined.chars().count() > CLIENT_CUT {
            let last = lines.pop().expect("a line");
            cuts.push(std::mem::take(&mut lines).join("\n"));
            lines.push(last);
        }
    }
    lines.push("活动最后，红树林湿地志愿服务队为获奖职工颁发证书，大练兵将持续到年底。".into());
    cuts.push(lines.join("\n"));
    cuts
}

#[test]
fn issue_18_a_paste_split_into_25_messages_is_one_push_stored_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let api = FakeApi::start();
    let parts = split_paste(25);
    assert_eq!(parts.len(), 25);
    assert!(parts[0].starts_with("/push\n") && parts[0].chars().count() > 3_500);
    // Telegram holds them all by the time the bot polls: they come in one
    // batch, as fast as the bot reads them. More than the 20 messages a
    // minute a member may send.
    for part in &parts {
        api.message(ADMIN, part);
    }
    let data = dir.path().join("data");
    let bot = start_bot(&data, &api, ADMIN, &dir.path().join("bot.log"));
    let reported = api.wait_for(Duration::from_secs(120), |api| {
        api.sent_to(ADMIN as i64, "已收到") > 0
    });
    let log = std::fs::read_to_string(dir.path().join("bot.log")).unwrap_or_default();
    assert!(reported, "no report\nsent: {:#?}\nlog: {log}", api.sent());
    // Anything else the parts would have drawn (a wait, a search) comes
    // before the report, which waits for the paste to end.
    stop_bot(bot);
    let to_admin: Vec<String> = api
        .sent()
        .into_iter()
        .filter(|s| s.chat == ADMIN as i64)
        .map(|s| s.text)
        .collect();
    assert_eq!(to_admin.len(), 1, "one reply, the report: {to_admin:#?}");
    let report = &to_admin[0];
    assert!(report.contains("已收到 1 篇：新增 1 篇"), "{report}");
    assert!(!report.contains("没有并入"), "{report}");

    let desk = NewsDesk::open(&data).expect("open the data folder");
    let id = desk
        .search_ids("红树林湿地 志愿服务", 1)
        .expect("search")
        .pop()
        .expect("the pasted article is searchable by its last part");
    let article = desk.article(&id).expect("read").expect("stored");
    assert_eq!(article.title.headline, "湛江市总工会开展职工技能大练兵活动");
    let text = article.body_text();
    for words in [
        "港口码头的装卸工人率先登场比武",
        "第1项比武",
        "红树林湿地志愿服务队为获奖职工颁发证书",
    ] {
        assert!(text.contains(words), "{words} missing from the stored text");
    }
    // Every item of every part, once.
    let items = text.matches("项比武，").count();
    let sent_items: usize = parts.iter().map(|p| p.matches("项比武，").count()).sum();
    assert_eq!(items, sent_items);
}
