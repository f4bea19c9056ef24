//! Main-article extraction from three kinds of saved pages, written here by
//! hand: a union site with nav/breadcrumb/sidebar/footer, a WeChat article,
//! and an old portal page laid out with tables (GBK-encoded).

use union_news_bot::document::{Format, format_of, html_text, html_text_from_bytes};

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

fn assert_absent(text: &str, needles: &[&str]) {
    for n in needles {
        assert!(!text.contains(n), "output must not contain {n:?}:\n{text}");
    }
}

const UNION_PARAS: [&str; 5] = [
    "3月5日，XX市总工会召开十五届四次全委（扩大）会议，传达学习全国总工会和省总工会有关会议精神，总结2023年工作，部署2024年任务。",
    "会议指出，过去一年，全市各级工会组织坚持以职工为中心，在建功立业、维权服务、深化改革等方面取得新成效，“职工之家”建设覆盖率达到95%以上。",
    "会议强调，2024年要聚焦“稳就业、促增收、保安全”，深入开展劳动和技能竞赛，扎实做好困难职工帮扶、新就业形态劳动者入会等工作。",
    "会议要求，各级工会要加强自身建设，持续推进工会工作数字化；要把好事办好、实事办实，让职工群众真正感受到“娘家人”的温暖。",
    "会上，市总工会与5家单位签订了《集体合同示范文本》推广协议。",
];

fn union_page() -> String {
    let related: String = (1..=10)
        .map(|i| {
            format!(
                "<li><a href=\"/news/2024/{i}.html\" title=\"相关新闻标题{i}\">市总工会开展第{i}期职工技能培训活动</a><span>2024-02-{i:02}</span></li>\n"
            )
        })
        .collect();
    format!(
        r##"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="keywords" content="工会,职工,总工会">
<title>市总工会召开十五届四次全委（扩大）会议_XX市总工会</title>
<link rel="stylesheet" href="/css/style.css">
<style>.nav li {{ float: left; }} body {{ font-family: "宋体"; }}</style>
<script type="text/javascript">var siteName = "XX市总工会"; document.write("<p>脚本写入的文字</p>");</script>
</head>
<body>
<div class="top-bar"><div class="w1200">欢迎访问XX市总工会网站！<a href="#">设为首页</a> | <a href="#">加入收藏</a> | <a href="#">无障碍浏览</a></div></div>
<header class="site-header">
  <div class="logo"><img src="/img/logo.png" alt="XX市总工会"></div>
  <form class="search" action="/search"><input type="text" name="q" placeholder="请输入关键词"><button>搜索</button></form>
</header>
<div class="nav">
  <ul>
    <li><a href="/">首页</a></li><li><a href="/gh/">工会要闻</a></li><li><a href="/jc/">基层动态</a></li>
    <li><a href="/wq/">维权服务</a></li><li><a href="/ld/">劳动竞赛</a></li><li><a href="/zt/">专题专栏</a></li>
    <li><a href="/gk/">信息公开</a></li><li><a href="/hd/">互动交流</a></li>
  </ul>
</div>
<div class="main w1200">
  <div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/gh/">工会要闻</a> &gt; 正文</div>
  <div class="left-box">
    <div class="article">
      <h1>市总工会召开十五届四次全委（扩大）会议</h1>
      <div class="info">发布日期：2024-03-06&nbsp;&nbsp;&nbsp;&nbsp;来源：XX市总工会　　浏览次数：<span id="hits">1024</span></div>
      <div class="tools">【字体：<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a>】</div>
      <div id="zoom" class="TRS_Editor">
        <p style="text-indent: 2em;">&nbsp;&nbsp;{p0}</p>
        <p style="text-indent: 2em;"><span style="font-family: 宋体;">会议指出，过去一年，全市各级工会组织坚持以职工为中心，</span><span>在建功立业、维权服务、深化改革等方面取得新成效，&ldquo;职工之家&rdquo;建设覆盖率达到95%以上。</span></p>
        <p>　　会议强调，2024年要聚焦“稳就业、促增收、保安全”，深入开展劳动和技能竞赛，
        扎实做好困难职工帮扶、新就业形态劳动者入会等工作。</p>
        <div>会议要求，各级工会要加强自身建设，持续推进工会工作数字化；要把好事办好、实事办实，让职工群众真正感受到<strong>“娘家人”</strong>的温暖。</div>
        <p>会上，市总工会与5家单位签订了《集体合同示范文本》推广协议。</p>
        <script>var shareUrl = location.href;</script>
      </div>
      <div class="pages">
        <p>上一篇：<a href="/gh/1.html">市总工会慰问一线环卫工人</a></p>
        <p>下一篇：<a href="/gh/3.html">全市工会系统召开安全生产工作会议</a></p>
      </div>
    </div>
  </div>
  <div class="right-box">
    <div class="box">
      <h3>相关新闻</h3>
      <ul class="list">
{related}      </ul>
    </div>
    <div class="box">
      <h3>热点排行</h3>
      <ol><li><a href="/a.html">关于做好2024年春节期间困难职工帮扶工作的通知</a></li><li><a href="/b.html">我市举办第三届职工运动会</a></li><li><a href="/c.html">工会会员服务卡使用指南</a></li></ol>
    </div>
  </div>
</div>
<div class="footer">
  <p>版权所有：XX市总工会　地址：XX市XX路100号　邮编：100000　电话：010-12345678</p>
  <p><a href="https://beian.miit.gov.cn/">京ICP备12345678号-1</a>　京公网安备 11010102000001号　技术支持：XX网络科技有限公司</p>
</div>
<script>var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script"); }})();</script>
</body>
</html>"##,
        p0 = UNION_PARAS[0],
    )
}

#[test]
fn union_site_article() {
    let page = union_page();
    assert_eq!(format_of("news.html", page.as_bytes()), Some(Format::Html));
    let got = html_text(&page);
    assert_eq!(
        got.title.as_deref(),
        Some("市总工会召开十五届四次全委（扩大）会议_XX市总工会")
    );
    let l = lines(&got.text);
    assert_eq!(
        l[0], "市总工会召开十五届四次全委（扩大）会议",
        "{}",
        got.text
    );
    assert_eq!(
        l[1], "发布日期：2024-03-06 来源：XX市总工会 浏览次数：1024",
        "{}",
        got.text
    );
    assert_eq!(&l[2..], &UNION_PARAS[..], "{}", got.text);
    assert_absent(
        &got.text,
        &[
            "当前位置",
            "首页",
            "工会要闻",
            "技能培训",
            "相关新闻",
            "热点排行",
            "ICP",
            "版权所有",
            "技术支持",
            "上一篇",
            "下一篇",
            "字体",
            "脚本",
            "shareUrl",
            "搜索",
            "欢迎访问",
            "_hmt",
        ],
    );
}

const WECHAT_PARAS: [&str; 7] = [
    "3月6日，全市“职工之家”建设经验交流会召开，来自各区县、产业工会和基层单位的80余名工会干部参加会议。",
    "会上，6家单位作了交流发言，分享了在阵地建设、服务职工、民主管理等方面的经验做法。与会人员还实地观摩了两家模范职工之家。",
    "会议要求，要把职工之家建成职工群众信得过、离不开的温暖之家，切实增强工会组织的吸引力、凝聚力。",
    "图为交流会现场",
    "下一步，市总工会将持续开展“职工之家”示范创建活动，力争年内新建标准化职工之家100家。",
    "来源：XX市总工会宣教部",
    "编辑：李四",
];

fn wechat_page() -> String {
    format!(
        r##"<!DOCTYPE html>
<html class="">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1.0">
<meta property="og:title" content="“职工之家”建设经验交流会在我市召开">
<meta property="og:type" content="article">
<title></title>
<style>.rich_media_title{{font-size:22px}}</style>
<script nonce="123">var msg_title = '“职工之家”建设经验交流会在我市召开'.html(false); var ct = "1709721000";</script>
</head>
<body id="activity-detail" class="zh_CN wx_wap_page">
<div id="js_article" class="rich_media">
  <div id="js_top_ad_area" class="top_banner"></div>
  <div class="rich_media_inner">
    <div id="page-content" class="rich_media_area_primary">
      <div class="rich_media_area_primary_inner">
        <div id="img-content" class="rich_media_wrp">
          <h1 class="rich_media_title " id="activity-name">
            “职工之家”建设经验交流会在我市召开
          </h1>
          <div id="meta_content" class="rich_media_meta_list">
            <span class="rich_media_meta rich_media_meta_text">原创</span>
            <span class="rich_media_meta rich_media_meta_text">宣教部</span>
            <span class="rich_media_meta rich_media_meta_nickname" id="profileBt">
              <a href="javascript:void(0);" class="wx_tap_link js_wx_tap_highlight weui-wa-hotarea" id="js_name">XX市总工会</a>
            </span>
            <span class="rich_media_meta rich_media_meta_text"><em id="publish_time" class="rich_media_meta rich_media_meta_text">2024-03-06 18:30</em></span>
            <em id="js_ip_wording_wrp" class="rich_media_meta rich_media_meta_text" style="display: none;">发表于<span id="js_ip_wording"></span></em>
          </div>
          <div class="rich_media_content js_underline_content autoTypeSetting24psection" id="js_content" style="visibility: hidden;">
            <section style="margin: 0px 8px;"><section><p style="text-align: justify;"><span style="font-size: 15px;">{p0}</span></p></section></section>
            <section style="margin: 0px 8px;"><p><span style="font-size: 15px;">会上，6家单位作了交流发言，分享了在阵地建设、服务职工、</span><span style="font-size: 15px;"><strong>民主管理</strong></span><span style="font-size: 15px;">等方面的经验做法。与会人员还实地观摩了两家模范职工之家。</span></p></section>
            <p><br></p>
            <section><section><section><p><span>{p2}</span></p></section></section></section>
            <p style="text-align: center;"><img class="rich_pages wxw-img" data-src="https://mmbiz.qpic.cn/a.jpg" style="width: 100%;"></p>
            <p style="text-align: center;"><span style="font-size: 12px;color: rgb(136, 136, 136);">图为交流会现场</span></p>
            <p><span>{p4}</span></p>
            <p><span style="font-size: 12px;">来源：XX市总工会宣教部</span></p>
            <p><span style="font-size: 12px;">编辑：李四</span></p>
          </div>
          <div class="ct_mpda_wrp" id="js_sponsor_ad_area" style="display:none;"><p>广告内容</p></div>
          <div id="js_tags" class="article-tag__list"><span class="article-tag__item">#职工之家</span><span class="article-tag__item">#工会</span></div>
          <div class="rich_media_tool" id="js_toobar3">
            <a id="js_view_source" href="#">阅读原文</a>
            <div class="media_tool_meta">阅读 <span id="readNum3">1024</span></div>
            <a class="like_btn">赞</a><a class="media_tool_meta">在看</a>
          </div>
        </div>
      </div>
    </div>
    <div id="js_pc_qr_code" class="qr_code_pc_outer"><div class="qr_code_pc"><img id="js_pc_qr_code_img"><p>微信扫一扫<br>关注该公众号</p></div></div>
  </div>
</div>
<div class="weui-dialog" style="display:none"><div class="weui-dialog__bd">预览时标签不可点</div></div>
<script>window.__appmsg = {{ title: "x" }};</script>
</body>
</html>"##,
        p0 = WECHAT_PARAS[0],
        p2 = WECHAT_PARAS[2],
        p4 = WECHAT_PARAS[4],
    )
}

#[test]
fn wechat_article() {
    let page = wechat_page();
    let got = html_text(&page);
    assert_eq!(
        got.title.as_deref(),
        Some("“职工之家”建设经验交流会在我市召开")
    );
    let l = lines(&got.text);
    assert_eq!(l[0], "“职工之家”建设经验交流会在我市召开", "{}", got.text);
    assert_eq!(
        l[1], "原创 宣教部 XX市总工会 2024-03-06 18:30",
        "{}",
        got.text
    );
    assert_eq!(&l[2..], &WECHAT_PARAS[..], "{}", got.text);
    assert_absent(
        &got.text,
        &[
            "阅读原文",
            "在看",
            "微信扫一扫",
            "关注该公众号",
            "预览时",
            "广告",
            "#职工之家",
            "发表于",
            "msg_title",
        ],
    );
}

const PORTAL_PARAS: [&str; 4] = [
    "为帮助农民工和城镇失业人员尽快实现就业，3月5日，区总工会联合区人社局在区职工服务中心举办“春风行动”专场招聘会。",
    "本次招聘会共组织42家企业参会，提供机械制造、电子商务、家政服务等岗位1200余个，现场达成就业意向386人。",
    "招聘会现场还设置了政策咨询台和职工法律援助窗口，工作人员为求职者解答社保、劳动合同等方面的问题。",
    "区总工会有关负责人表示，将持续开展就业帮扶活动，为职工群众搭建更多就业平台。",
];

fn portal_page() -> String {
    let side: String = ["工会动态", "通知公告", "基层风采", "劳模风采", "维权帮扶", "政策法规"]
        .iter()
        .map(|s| format!("<tr><td height=\"28\" class=\"lm_item\">·<a href=\"/list.asp?c={s}\">{s}</a></td></tr>\n"))
        .collect();
    let notices: String = (1..=5)
        .map(|i| format!("<tr><td><a href=\"/show.asp?id={i}\" target=\"_blank\">关于开展第{i}批职工疗休养工作的通知</a></td><td>03-0{i}</td></tr>\n"))
        .collect();
    format!(
        r##"<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>XX区总工会</title>
<link href="css.css" rel="stylesheet" type="text/css">
<script language="javascript" src="js/menu.js"></script>
</head>
<body topmargin="0" leftmargin="0">
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
  <tr><td><img src="images/banner.jpg" width="1000" height="150"></td></tr>
</table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="daohang">
  <tr><td height="36" align="center"><a href="index.asp">网站首页</a> | <a href="jg.asp">机构设置</a> | <a href="list.asp?c=1">工会动态</a> | <a href="list.asp?c=2">通知公告</a> | <a href="list.asp?c=3">劳模风采</a> | <a href="ly.asp">在线留言</a></td></tr>
</table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
  <tr>
    <td width="240" valign="top" bgcolor="#F5F5F5">
      <table width="100%" border="0" cellspacing="0" cellpadding="0">
        <tr><td height="32" class="lanmu"><b>栏目导航</b></td></tr>
{side}      </table>
      <table width="100%" border="0" cellspacing="0" cellpadding="0">
        <tr><td height="32" colspan="2" class="lanmu"><b>通知公告</b></td></tr>
{notices}      </table>
    </td>
    <td width="760" valign="top">
      <table width="100%" border="0" cellspacing="0" cellpadding="0">
        <tr><td height="30" class="weizhi">您现在的位置：<a href="index.asp">网站首页</a> &gt;&gt; <a href="list.asp?c=1">工会动态</a> &gt;&gt; 正文</td></tr>
      </table>
      <table width="96%" border="0" align="center" cellpadding="0" cellspacing="0">
        <tr><td height="50" align="center"><font size="5" color="#CC0000"><b>区总工会举办“春风行动”专场招聘会</b></font></td></tr>
        <tr><td height="26" align="center" class="hui">作者：王五&nbsp;&nbsp;&nbsp;来源：XX区总工会&nbsp;&nbsp;&nbsp;发布时间：2024年3月6日&nbsp;&nbsp;&nbsp;点击数：<font color="red">88</font></td></tr>
        <tr><td><hr size="1" color="#CCCCCC"></td></tr>
        <tr><td class="zhengwen" style="line-height:200%">
&nbsp;&nbsp;&nbsp;&nbsp;{p0}<br><br>
&nbsp;&nbsp;&nbsp;&nbsp;{p1}<br><br>
&nbsp;&nbsp;&nbsp;&nbsp;{p2}<br>
&nbsp;&nbsp;&nbsp;&nbsp;{p3}
        </td></tr>
        <tr><td align="right">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>
      </table>
    </td>
  </tr>
</table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="bottom">
  <tr><td height="80" align="center">版权所有：XX区总工会 Copyright &copy; 2024<br>地址：XX区XX街88号　电话：0000-1234567<br><a href="https://beian.miit.gov.cn" target="_blank">冀ICP备00000000号</a></td></tr>
</table>
</body>
</html>"##,
        p0 = PORTAL_PARAS[0],
        p1 = PORTAL_PARAS[1],
        p2 = PORTAL_PARAS[2],
        p3 = PORTAL_PARAS[3],
    )
}

#[test]
fn portal_table_layout_gbk() {
    let page = portal_page();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&page);
    assert!(!unmappable);
    assert_eq!(format_of("show.asp", &gbk), Some(Format::Html));
    let got = html_text_from_bytes(&gbk);
    assert_eq!(got.title.as_deref(), Some("XX区总工会"));
    let l = lines(&got.text);
    assert_eq!(l[0], "区总工会举办“春风行动”专场招聘会", "{}", got.text);
    assert_eq!(
        l[1], "作者：王五 来源：XX区总工会 发布时间：2024年3月6日 点击数：88",
        "{}",
        got.text
    );
    assert_eq!(&l[2..], &PORTAL_PARAS[..], "{}", got.text);
    assert_absent(
        &got.text,
        &[
            "网站首页",
            "栏目导航",
            "疗休养",
            "您现在的位置",
            "打印本页",
            "关闭窗口",
            "版权所有",
            "ICP",
            "劳模风采",
        ],
    );
}

#[test]
fn page_without_article_is_empty_or_title() {
    let got = html_text(
        "<html><head><title>导航页</title></head><body><nav><a href=/>首页</a></nav></body></html>",
    );
    assert_eq!(got.title.as_deref(), Some("导航页"));
    assert!(
        got.text == "导航页" || got.text.is_empty(),
        "{:?}",
        got.text
    );
    let got = html_text("");
    assert_eq!(got.title, None);
    assert_eq!(got.text, "");
}

#[test]
fn big_page_time() {
    // A 2 MB page: the union page with a long article and many link lists.
    let mut body = String::new();
    let mut n = 0;
    while body.len() < 2_000_000 {
        n += 1;
        body.push_str(&format!(
            "<p>{}（第{n}段）</p>\n",
            UNION_PARAS[n % UNION_PARAS.len()]
        ));
        if n % 50 == 0 {
            body.push_str("<ul class=\"list\">");
            for i in 0..20 {
                body.push_str(&format!(
                    "<li><a href=\"/{n}/{i}.html\">推荐链接{n}-{i}</a></li>"
                ));
            }
            body.push_str("</ul>\n");
        }
    }
    let page = union_page().replace(
        "<div id=\"zoom\" class=\"TRS_Editor\">",
        &format!("<div id=\"zoom\" class=\"TRS_Editor\">{body}"),
    );
    let start = std::time::Instant::now();
    let got = html_text(&page);
    let elapsed = start.elapsed();
    eprintln!(
        "html_text on {:.1} MB: {elapsed:?}, {} lines",
        page.len() as f64 / 1e6,
        got.text.lines().count()
    );
    assert!(
        got.text
            .starts_with("市总工会召开十五届四次全委（扩大）会议\n")
    );
    assert!(got.text.contains(&format!("（第{n}段）")));
    assert!(!got.text.contains("推荐链接"));
}

#[test]
fn html5_article_with_header() {
    let page = r#"<!doctype html><html><head><title>基层工会经费使用管理办法解读 - 某省总工会</title></head><body>
<header><div class="logo">某省总工会</div><nav><a href="/">首页</a><a href="/zc">政策法规</a></nav></header>
<main>
 <article>
  <header><h1>基层工会经费使用管理办法解读</h1><p class="meta"><time datetime="2024-03-06">2024-03-06</time> 来源：省总工会财务部</p></header>
  <p>近日，省总工会印发《基层工会经费收支管理实施办法》，对基层工会经费的收入范围、支出范围和管理要求作出规定。</p>
  <p>办法明确，基层工会经费主要用于为职工服务和开展工会活动，不得用于公款吃喝、旅游等支出。</p>
  <footer>责任编辑：赵六</footer>
 </article>
 <aside><h2>热门文章</h2><ul><li><a href="/1">文章一</a></li><li><a href="/2">文章二</a></li><li><a href="/3">文章三</a></li></ul></aside>
</main>
<footer><p>某省总工会 版权所有</p></footer></body></html>"#;
    let got = html_text(page);
    assert_eq!(
        lines(&got.text),
        vec![
            "基层工会经费使用管理办法解读",
            "2024-03-06 来源：省总工会财务部",
            "近日，省总工会印发《基层工会经费收支管理实施办法》，对基层工会经费的收入范围、支出范围和管理要求作出规定。",
            "办法明确，基层工会经费主要用于为职工服务和开展工会活动，不得用于公款吃喝、旅游等支出。",
        ],
        "{}",
        got.text
    );
}

#[test]
fn div_paragraphs_with_headline_inside_content() {
    let page = r#"<html><head><meta property="og:title" content="我市举办职工篮球赛"><title>我市举办职工篮球赛</title></head><body>
<div class="menu"><a href="/">首页</a> <a href="/a">工会动态</a> <a href="/b">通知公告</a></div>
<div class="content">
  <div class="lm">工会动态</div>
  <h2>我市举办职工篮球赛</h2>
  <div class="time">时间：2024/03/06 作者：孙七</div>
  <div>为丰富职工文化体育生活，市总工会于3月2日至5日举办全市职工篮球赛，共有24支队伍参赛。</div>
  <div>经过激烈角逐，市供电公司代表队获得冠军。</div>
  <div class="bdshare"><a>分享到微信</a><a>分享到微博</a></div>
  <p>责任编辑：周八</p>
</div>
<div class="copyright">Copyright © 2024 XX市总工会 <a href="https://beian.miit.gov.cn/">ICP备案号</a></div>
</body></html>"#;
    let got = html_text(page);
    assert_eq!(
        lines(&got.text),
        vec![
            "我市举办职工篮球赛",
            "时间：2024/03/06 作者：孙七",
            "为丰富职工文化体育生活，市总工会于3月2日至5日举办全市职工篮球赛，共有24支队伍参赛。",
            "经过激烈角逐，市供电公司代表队获得冠军。",
            "责任编辑：周八",
        ],
        "{}",
        got.text
    );
}

#[test]
fn issue_18_a_data_table_row_is_one_line_and_a_layout_table_is_not() {
    let page = r#"<html><head><meta charset="utf-8"><title>市总工会表彰技能大赛获奖选手_XX市总工会</title></head><body>
<table width="1000"><tr>
  <td width="200"><a href="/a">工会要闻</a><br><a href="/b">基层动态</a><br><a href="/c">通知公告</a></td>
  <td width="800" class="content">
    <h1>市总工会表彰技能大赛获奖选手</h1>
    <p>5月5日，市总工会召开第六届职工技能大赛总结表彰会，对在电工、焊工两个工种决赛中获得前三名的选手进行表彰，全市共有3200余名职工报名参加。</p>
    <p>获奖选手名单如下：</p>
    <table border="1">
      <tr><td colspan="3">第六届职工技能大赛获奖名单</td></tr>
      <tr><th>工种</th><th>名次</th><th>姓名</th></tr>
      <tr><td>电工</td><td>一等奖</td><td><p>陈某某</p><p>（班组长）</p></td></tr>
      <tr><td>焊工</td><td>一等奖</td><td>李某某</td></tr>
    </table>
    <p>按照大赛规定，各工种第一名将由市总工会推荐申报五一劳动奖章，符合条件的选手还可按程序晋升相应职业技能等级。</p>
  </td>
</tr></table>
</body></html>"#;
    let got = html_text(page);
    assert_eq!(
        lines(&got.text),
        vec![
            "市总工会表彰技能大赛获奖选手",
            "5月5日，市总工会召开第六届职工技能大赛总结表彰会，对在电工、焊工两个工种决赛中获得前三名的选手进行表彰，全市共有3200余名职工报名参加。",
            "获奖选手名单如下：",
            "第六届职工技能大赛获奖名单",
            "工种 | 名次 | 姓名",
            "电工 | 一等奖 | 陈某某 （班组长）",
            "焊工 | 一等奖 | 李某某",
            "按照大赛规定，各工种第一名将由市总工会推荐申报五一劳动奖章，符合条件的选手还可按程序晋升相应职业技能等级。",
        ],
        "{}",
        got.text
    );
    // A page laid out in a table whose rows hold paragraphs of the article.
    let layout = format!(
        r#"<html><body><table>
<tr><td><h1>区总工会举办专场招聘会</h1></td><td>2024-03-06</td></tr>
<tr><td>{}</td><td>来源：区总工会</td></tr>
<tr><td>{}</td><td>作者：王五</td></tr>
</table></body></html>"#,
        PORTAL_PARAS[0], PORTAL_PARAS[1]
    );
    let got = html_text(&layout);
    assert!(!got.text.contains(" | "), "{}", got.text);
    assert!(got.text.contains(PORTAL_PARAS[0]), "{}", got.text);
}
