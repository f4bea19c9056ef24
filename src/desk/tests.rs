//! The desk end to end in memory (and once on disk): ingest, answers,
//! admin commands, deliveries, consistency.

use super::*;
use crate::clock::{ManualClock, zone_named};
use crate::page::PageDefaults;
use crate::reply::to_plain;
use crate::store::PageToStore;

const SEED_PAGE: &str = include_str!("../../data/pages/2024-01-16_seed.md");
const PAGE: &str =
    "# 湛江市总工会为环卫工人送清凉\n\n本报讯 7月1日,湛江市总工会为500名环卫工人送上清凉物资。\n";

/// The desk's reply to a member's message.
fn ask(desk: &NewsDesk, text: &str) -> Reply {
    desk.reply_to(&Sender::member(7, Some(7)), text)
}

/// The desk's reply to an admin's message.
fn ask_as_admin(desk: &NewsDesk, text: &str) -> Reply {
    desk.reply_to(&Sender::admin(1, 1), text)
}
fn seed_defaults() -> PageDefaults {
    PageDefaults {
        issue_date: "2024-01-16".parse().ok(),
        ..Default::default()
    }
}

#[test]
fn the_seed_page_gives_seven_articles_with_their_cities() {
    let desk = NewsDesk::in_memory().unwrap();
    let report = desk
        .ingest()
        .text(SEED_PAGE, "seed", &seed_defaults())
        .unwrap();
    let expected: [(&str, &[&str]); 7] = [
        ("潮州德阳两地工会签署友好合作协议", &["潮州", "德阳"]),
        ("阳江市总工会研究部署劳资纠纷应急处置工作", &["阳江"]),
        ("围绕中心任务 找准工会工作切入点", &["汕尾"]),
        ("东莞市石龙镇总工会走访慰问退休劳模", &["东莞"]),
        ("茂名市茂南区总工会开展“四史”宣讲活动", &["茂名"]),
        ("湛江市总工会开展“劳模工匠助企行”调研", &["湛江"]),
        ("启动职工乡村疗休养示范性活动", &["云浮"]),
    ];
    assert_eq!(report.articles.len(), expected.len(), "{report:?}");
    for (article, (title, cities)) in report.articles.iter().zip(expected) {
        assert_eq!(article.title, title);
        assert_eq!(article.cities, cities, "cities of {title}");
        assert!(article.is_new);
    }
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

#[test]
fn a_page_pasted_again_with_other_whitespace_and_punctuation_adds_nothing() {
    let desk = NewsDesk::in_memory().unwrap();
    desk.ingest()
        .text(SEED_PAGE, "seed", &seed_defaults())
        .unwrap();
    let repasted = SEED_PAGE
        .replace(',', "，")
        .replace("\n\n", "\n\n\n")
        .replace('。', "。 ");
    let report = desk
        .ingest()
        .text(&repasted, "push", &seed_defaults())
        .unwrap();
    assert_eq!((report.added(), report.known()), (0, 7), "{report:?}");
    assert_eq!(desk.article_count().unwrap(), 7);
}

#[test]
fn a_page_in_traditional_characters_gets_its_cities_and_is_found_in_simplified() {
    let desk = NewsDesk::in_memory().unwrap();
    let page = "# 湛江市總工會開展調研\n\n本報訊 1月11日,湛江市總工會走進羽絨企業。\n";
    let report = desk.ingest().text(page, "push", &seed_defaults()).unwrap();
    assert_eq!(report.articles[0].cities, ["湛江"], "{report:?}");
    let reply = ask(&desk, "湛江 羽绒");
    assert_eq!(reply.listed, [report.articles[0].id.clone()]);
}

#[test]
fn an_oversized_page_is_refused_with_its_size() {
    let desk = NewsDesk::in_memory().unwrap();
    let page = "字".repeat(MAX_PAGE_BYTES);
    let error = desk
        .ingest()
        .text(&page, "push", &seed_defaults())
        .unwrap_err();
    assert!(matches!(error, DeskError::TooLarge { .. }), "{error}");
    assert_eq!(desk.article_count().unwrap(), 0);
}

#[test]
fn file_names_give_the_issue_date_and_page() {
    let d = defaults_from_file_name(Path::new("x/2024-01-17_p2.md"), &PageDefaults::default());
    assert_eq!(d.issue_date, "2024-01-17".parse().ok());
    assert_eq!(d.page.as_deref(), Some("第2版"));
    let given = PageDefaults {
        issue_date: "2020-01-01".parse().ok(),
        ..Default::default()
    };
    let d = defaults_from_file_name(Path::new("notes.md"), &given);
    assert_eq!((d.issue_date, d.page), (given.issue_date, None));
}
#[test]
fn an_index_out_of_step_is_reconciled_not_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let kept_page = "# 湛江工会送清凉\n\n本报讯 7月1日,湛江市总工会为环卫工人送清凉。\n";
    let late_page = "# 茂名工会慰问劳模\n\n本报讯 7月2日,茂名市总工会慰问劳模。\n";
    let gone_page = "# 汕尾工会举办招聘会\n\n本报讯 7月3日,汕尾市总工会举办招聘会。\n";
    {
        let desk = NewsDesk::open(dir.path()).unwrap();
        desk.ingest()
            .text(kept_page, "kept", &PageDefaults::default())
            .unwrap();
        let gone = desk
            .ingest()
            .text(gone_page, "gone", &PageDefaults::default())
            .unwrap();
        // As if the process stopped between the two commits: one article
        // stored but never indexed, one removed from the store only.
        let late = desk
            .ingest()
            .prepare_text(late_page, "late", &PageDefaults::default())
            .unwrap();
        let to_store = PageToStore {
            origin: &late.origin,
            text: &late.text,
            articles: &late.articles,
            fingerprints: &late.fingerprints,
            signatures: &[],
            near_duplicates: &[],
            warnings: &[],
        };
        desk.store.store_pages(&[to_store], None, 0).unwrap();
        desk.store.retract(&gone.articles[0].id, 1, 0).unwrap();
        assert!(ask(&desk, "茂名 劳模").listed.is_empty());
    }
    let desk = NewsDesk::open(dir.path()).unwrap();
    assert_eq!(desk.index.num_docs(), 2);
    assert_eq!(ask(&desk, "茂名 劳模").listed.len(), 1);
    assert!(ask(&desk, "汕尾 招聘会").listed.is_empty());
    assert_eq!(ask(&desk, "湛江 送清凉").listed.len(), 1);
    assert_eq!(desk.consistency().reconcile().unwrap(), (0, 0));
}

#[test]
fn a_member_cannot_push_or_delete_and_nothing_changes() {
    let desk = NewsDesk::in_memory().unwrap();
    let member = Sender::member(5, Some(5));
    let reply = desk.reply_to(&member, &format!("/push\n{PAGE}"));
    assert_eq!(to_plain(&reply), text::ADMINS_ONLY);
    assert_eq!(desk.article_count().unwrap(), 0);
    let reply = desk.reply_to(&member, "/delete 1a2b3c4d");
    assert_eq!(to_plain(&reply), text::ADMINS_ONLY);
}

#[test]
fn an_admin_push_is_searchable_at_once_and_queued_once_for_subscribers() {
    let desk = NewsDesk::in_memory().unwrap().with_push_hold(0);
    let subscriber = Sender::member(42, Some(42));
    desk.reply_to(&subscriber, "/subscribe 湛江");
    desk.reply_to(&subscriber, "/subscribe 全部");
    let admin = Sender::admin(1, 1);
    let report = to_plain(&desk.reply_to(&admin, &format!("/push\n{PAGE}")));
    assert!(
        report.contains("新增 1 篇") && report.contains("湛江"),
        "{report}"
    );
    assert!(report.contains("正在发送给订阅者 1 人"), "{report}");
    let found = desk.reply_to(&subscriber, "环卫工人 送清凉");
    assert_eq!(found.listed.len(), 1, "{found:?}");
    let due = desk.deliveries().claim(10).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].0.chat_id, 42);
    desk.deliveries().done(&due[0].0, &[1]).unwrap();
    let again = to_plain(&desk.reply_to(&admin, &format!("/push\n{PAGE}")));
    assert!(again.contains("已有 1 篇"), "{again}");
    assert_eq!(desk.deliveries().pending().unwrap(), 0);
}

#[test]
fn subscriptions_are_listed_and_ended_per_chat() {
    let desk = NewsDesk::in_memory().unwrap();
    let a = Sender::member(1, None);
    let b = Sender::member(2, None);
    desk.reply_to(&a, "/subscribe 吴川");
    let listed = to_plain(&desk.reply_to(&a, "/subscriptions"));
    assert!(listed.contains("湛江"), "{listed}");
    let other = to_plain(&desk.reply_to(&b, "/subscriptions"));
    assert!(other.contains("还没有订阅"), "{other}");
    let ended = to_plain(&desk.reply_to(&a, "/unsubscribe zhanjiang"));
    assert!(ended.contains("已取消订阅湛江"), "{ended}");
    let usage = to_plain(&desk.reply_to(&a, "/subscribe"));
    assert!(usage.contains("/subscribe 湛江"), "{usage}");
    let unknown = to_plain(&desk.reply_to(&a, "/subscribe 乌有乡"));
    assert!(unknown.contains("没有找到名为「乌有乡」"), "{unknown}");
    assert!(
        unknown.contains("/subscribe 湛江"),
        "the hint names the command asked: {unknown}"
    );
    let province = to_plain(&desk.reply_to(&a, "/subscribe 广东"));
    assert!(province.contains("/subscribe "), "{province}");
    assert!(!province.contains("/city"), "{province}");
    let mars = to_plain(&desk.reply_to(&a, "/subscribe 火星"));
    assert!(
        mars.contains("是指") && mars.contains("/subscribe 火星街道"),
        "{mars}"
    );
    let listed = to_plain(&desk.reply_to(&a, "/subscriptions"));
    assert!(
        !listed.contains("长沙"),
        "asking subscribes nothing: {listed}"
    );
}

#[test]
fn an_admin_retracts_an_article_from_search_and_can_restore_it() {
    let desk = NewsDesk::in_memory().unwrap();
    let report = desk.editions().push(PAGE, "test", None, 1, 1).unwrap();
    let id = report.articles[0].id.clone();
    let reply = to_plain(&ask_as_admin(&desk, &format!("/delete {id}")));
    assert!(reply.contains("已撤回"), "{reply}");
    assert!(ask(&desk, "环卫工人 送清凉").listed.is_empty());
    assert!(desk.article(&id).unwrap().is_none());
    let again = to_plain(&ask_as_admin(&desk, &format!("/push\n{PAGE}")));
    assert!(
        again.contains("曾被撤回") && again.contains("/restore"),
        "{again}"
    );
    let restored = to_plain(&ask_as_admin(&desk, &format!("/restore {id}")));
    assert!(restored.contains("已恢复"), "{restored}");
    assert_eq!(ask(&desk, "环卫工人 送清凉").listed, [id]);
}

/// A desk on a manual clock at 2024-08-22 00:00 UTC (08:00 in Shanghai),
/// with the default two-minute hold.
fn desk_on_a_clock() -> (NewsDesk, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::at(
        chrono::DateTime::parse_from_rfc3339("2024-08-22T00:00:00Z")
            .unwrap()
            .to_utc(),
    ));
    let time = BotTime::new(clock.clone(), zone_named("Asia/Shanghai").unwrap());
    (NewsDesk::in_memory().unwrap().with_time(time), clock)
}

#[test]
fn a_held_push_goes_out_when_its_hold_ends_or_when_sent_now() {
    let (desk, clock) = desk_on_a_clock();
    desk.reply_to(&Sender::member(42, Some(42)), "/subscribe 湛江");
    let report = ask_as_admin(&desk, &format!("/push\n{PAGE}"));
    let shown = to_plain(&report);
    assert!(shown.contains("2 分钟后（2024-08-22 08:02）"), "{shown}");
    assert!(report.reports_push.is_some());
    assert_eq!(
        ask(&desk, "环卫工人 送清凉").listed.len(),
        1,
        "searchable at once"
    );
    assert!(desk.deliveries().claim(10).unwrap().is_empty(), "held");
    clock.advance(chrono::Duration::seconds(119));
    assert!(
        desk.deliveries().claim(10).unwrap().is_empty(),
        "still held"
    );
    clock.advance(chrono::Duration::seconds(1));
    assert_eq!(desk.deliveries().claim(10).unwrap().len(), 1);

    let second = "# 湛江工会举办职工篮球赛\n\n本报讯 8月20日,湛江市总工会举办职工篮球赛。\n";
    let report = desk.editions().push(second, "t", None, 1, 1).unwrap();
    let id = report.articles[0].id.clone();
    assert!(desk.deliveries().claim(10).unwrap().is_empty());
    let sent = to_plain(&ask_as_admin(&desk, &format!("/send {id}")));
    assert!(sent.contains("正在发送给订阅者 1 人"), "{sent}");
    assert_eq!(desk.deliveries().claim(10).unwrap().len(), 1);
}

#[test]
fn a_correction_keeps_the_id_and_edits_what_was_sent() {
    let (desk, clock) = desk_on_a_clock();
    desk.reply_to(&Sender::member(42, Some(42)), "/subscribe 湛江");
    let id = desk
        .editions()
        .push(PAGE, "t", None, 1, 1)
        .unwrap()
        .articles[0]
        .id
        .clone();
    clock.advance(chrono::Duration::minutes(3));
    let due = desk.deliveries().claim(10).unwrap();
    desk.deliveries().done(&due[0].0, &[500]).unwrap();
    let form = to_plain(&ask_as_admin(&desk, &format!("/correct {id}")));
    assert!(
        form.contains(&format!("/correct {id}")) && form.contains("标题："),
        "{form}"
    );
    let done = to_plain(&ask_as_admin(
        &desk,
        &format!("/correct {id}\n标题：湛江市总工会为环卫工人送清凉（更正）\n活动日期：2024-07-02"),
    ));
    assert!(
        done.contains("已更正") && done.contains("1 条消息"),
        "{done}"
    );
    let article = desk.article(&id).unwrap().unwrap();
    assert_eq!(
        article.title.headline,
        "湛江市总工会为环卫工人送清凉（更正）"
    );
    assert_eq!(article.date, "2024-07-02".parse().ok());
    let changes = desk.deliveries().claim_changes(10).unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].0.message_ids, [500]);
    let MessageChange::Replace(edited) = &changes[0].1 else {
        panic!("an edit");
    };
    assert!(to_plain(edited).contains("已更正"), "{}", to_plain(edited));
    assert!(
        to_plain(edited).contains("（更正）"),
        "{}",
        to_plain(edited)
    );
    // Found under the corrected headline, and the original text is still known.
    assert_eq!(ask(&desk, "送清凉 更正").listed.first(), Some(&id));
    let again = to_plain(&ask_as_admin(&desk, &format!("/push\n{PAGE}")));
    assert!(again.contains("已有 1 篇"), "{again}");
    let refused = to_plain(&ask_as_admin(&desk, &format!("/correct {id}\n作者：张三")));
    assert!(refused.contains("没有更正"), "{refused}");
}

#[test]
fn a_retraction_deletes_recent_messages_and_marks_old_ones() {
    let (desk, clock) = desk_on_a_clock();
    desk.reply_to(&Sender::member(42, Some(42)), "/subscribe 湛江");
    let id = desk
        .editions()
        .push(PAGE, "t", None, 1, 1)
        .unwrap()
        .articles[0]
        .id
        .clone();
    clock.advance(chrono::Duration::minutes(3));
    let due = desk.deliveries().claim(10).unwrap();
    desk.deliveries().done(&due[0].0, &[500]).unwrap();
    clock.advance(chrono::Duration::hours(49));
    ask_as_admin(&desk, &format!("/delete {id}"));
    let changes = desk.deliveries().claim_changes(10).unwrap();
    assert_eq!(changes.len(), 1);
    assert!(
        matches!(&changes[0].1, MessageChange::MarkRetracted(r) if to_plain(r).contains("已撤回")),
        "too old to delete: {:?}",
        changes[0].1
    );
}

#[test]
fn a_scheduled_push_appears_at_its_time_and_not_before() {
    let (desk, clock) = desk_on_a_clock();
    desk.reply_to(&Sender::member(42, Some(42)), "/subscribe 湛江");
    let report = to_plain(&ask_as_admin(
        &desk,
        &format!("/push\n定时发布：2024-08-22 10:00\n{PAGE}"),
    ));
    assert!(report.contains("定时发布：2024-08-22 10:00"), "{report}");
    assert!(ask(&desk, "环卫工人 送清凉").listed.is_empty(), "hidden");
    clock.advance(chrono::Duration::minutes(119));
    assert!(desk.deliveries().claim(10).unwrap().is_empty());
    assert!(
        ask(&desk, "环卫工人 送清凉").listed.is_empty(),
        "still hidden"
    );
    let status = to_plain(&ask_as_admin(&desk, "/status"));
    assert!(
        status.contains("定时发布") && status.contains("10:00"),
        "{status}"
    );
    clock.advance(chrono::Duration::minutes(1));
    assert_eq!(desk.deliveries().claim(10).unwrap().len(), 1);
    assert_eq!(ask(&desk, "环卫工人 送清凉").listed.len(), 1);
}

#[test]
fn the_next_page_of_a_follow_up_is_the_question_it_was_read_as() {
    let desk = NewsDesk::in_memory().unwrap();
    let mut page = String::new();
    for n in 1..=8 {
        let city = if n % 2 == 0 { "湛江" } else { "东莞" };
        page.push_str(&format!(
            "# {city}市总工会第{n}次慰问环卫工人\n\n本报讯 {n}月1日,{city}市总工会慰问环卫工人{n}00名,送上慰问品。\n\n"
        ));
    }
    desk.ingest()
        .text(&page, "test", &Default::default())
        .unwrap();
    let member = Sender::member(9, Some(9));
    let first = desk.reply_to(&member, "湛江 慰问环卫工人");
    assert!(!first.listed.is_empty(), "{}", to_plain(&first));
    let again = desk.reply_to(&member, "那东莞呢");
    assert!(
        to_plain(&again).contains("接着上一个问题"),
        "{}",
        to_plain(&again)
    );
    // The 下一页 button sends the message it is under again, with page 2.
    let next = desk.handle(&member, Request::search("那东莞呢", 2));
    let titles = next.item_titles();
    assert!(!titles.is_empty(), "{}", to_plain(&next));
    assert!(titles.iter().all(|t| t.contains("东莞")), "{titles:?}");
    // Page 2 of the search, not the first page of 东莞's list that the
    // message alone would be.
    let pages = next.pages.expect("a paged list");
    assert_eq!(
        (pages.list, pages.page),
        (crate::reply::ListKind::Search, 2)
    );
}

#[test]
fn one_template_in_two_cities_is_two_articles_and_a_copy_is_one() {
    let desk = NewsDesk::in_memory().unwrap().with_push_hold(0);
    let report = |city: &str, town: &str| {
        format!(
            "{city}市总工会开展夏季送清凉活动\n\n本报讯 7月10日，{city}市总工会慰问组来到{town}的建筑工地、环卫站点和快递网点，为坚守一线的户外劳动者送去防暑降温物资。慰问组详细了解职工的工作和生活情况，叮嘱企业合理安排作业时间，落实高温津贴，保障职工身体健康。活动共慰问户外劳动者六百余人，发放慰问品价值十余万元。"
        )
    };
    let first = desk
        .editions()
        .push(&report("湛江", "赤坎区"), "t", None, 1, 1)
        .unwrap();
    let other_city = desk
        .editions()
        .push(&report("茂名", "茂南区"), "t", None, 1, 1)
        .unwrap();
    assert!(first.articles[0].is_new && other_city.articles[0].is_new);
    assert_eq!(other_city.articles[0].near_duplicate_of, None);
    // The first again, its headline re-typed and its last sentence left out.
    let copy = report("湛江", "赤坎区")
        .replace("开展夏季送清凉", "开展夏季“送清凉”慰问")
        .replace("活动共慰问户外劳动者六百余人，发放慰问品价值十余万元。", "");
    let again = desk.editions().push(&copy, "t", None, 1, 1).unwrap();
    assert_eq!(
        again.articles[0]
            .near_duplicate_of
            .as_ref()
            .map(|(id, _)| id),
        Some(&first.articles[0].id)
    );
    assert_eq!(desk.article_count().unwrap(), 2);
}
