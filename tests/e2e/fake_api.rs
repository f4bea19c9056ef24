//! A Bot API server on loopback for the real binary (`TELOXIDE_API_URL`):
//! it hands out scripted updates by long polling, records every message the
//! bot sends, and injects the faults Telegram and the networks in between
//! produce: 429 with `retry_after`, 500 with an HTML page, 502 as JSON,
//! malformed JSON, dropped connections, slow answers, and answers that never
//! come.
//!
//! A message counts as sent only when the server answered it with `ok`; one
//! met by a fault was never sent (the fault happened before Telegram).

use crate::world::binary;
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use teloxide::types::{
    ChatMember, ChatMemberKind, Member, Message, MessageId, Owner, Update, UpdateId, UpdateKind,
};
use teloxide_tests::{
    MockChannelChat, MockMe, MockMessageDocument, MockMessageText, MockPrivateChat,
    MockSupergroupChat, MockUser,
};

/// Something that goes wrong with one request.
#[derive(Debug, Clone, Copy)]
pub enum Fault {
    /// 429 Too Many Requests, retry after this many seconds.
    TooManyRequests(u32),
    /// A 500 answered by a proxy's HTML page.
    ServerErrorHtml,
    /// A 502 answered as Bot API JSON.
    BadGatewayJson,
    /// 200 with a body cut short.
    MalformedJson,
    /// The connection closed with no answer.
    Drop,
    /// The right answer, this late.
    Slow(Duration),
    /// 403: the member blocked the bot.
    Blocked,
}

/// A message the bot sent and the server accepted.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The message's id (for `editMessageText`: the message edited).
    pub id: i32,
    /// `sendmessage`, `sendphoto`, `editmessagetext` or `editmessagecaption`.
    pub method: String,
    /// The chat it went to.
    pub chat: i64,
    /// Its text (HTML).
    pub text: String,
    /// The message it replies to, when it quotes one.
    pub reply_to: Option<i64>,
    /// Its keyboard (`reply_markup`) as sent; `Null` when it had none.
    pub markup: Value,
    /// Sent with `disable_notification` (no sound).
    pub silent: bool,
}

#[derive(Default)]
struct State {
    /// Every update ever given, by id.
    updates: Vec<(u32, Value)>,
    /// Updates below this id were confirmed (a `getUpdates` offset past them).
    confirmed: u32,
    /// The next `getUpdates` gives every update again, confirmed or not.
    replay: bool,
    /// Faults waiting for the next requests of a method (lower case), each
    /// for any chat or for one.
    faults: HashMap<String, VecDeque<(Option<i64>, Fault)>>,
    /// Requests per method (lower case), faults included.
    calls: HashMap<String, usize>,
    /// Messages accepted, in order (edits included, marked by their method).
    sent: Vec<Sent>,
    /// Messages deleted: chat and message id.
    deleted: Vec<(i64, i32)>,
    /// `sendMessage` to chats other than these are held with no answer.
    hold_sends_except: Option<Vec<i64>>,
    /// Requests being held now.
    held: usize,
    /// The longest long-polling timeout asked for, in seconds.
    longest_poll: u64,
    next_message_id: i32,
    /// Files members sent, by file id (lower case), served by `getFile` and
    /// the file download path.
    files: HashMap<String, Vec<u8>>,
    /// Who administers which group: `getChatMember` says so.
    chat_admins: Vec<(i64, u64)>,
}

/// The fake server; it runs until the test process ends.
pub struct FakeApi {
    shared: Arc<(Mutex<State>, Condvar)>,
    /// `http://127.0.0.1:PORT/`, for `TELOXIDE_API_URL`.
    pub url: String,
}

impl FakeApi {
    /// Starts the server on a free loopback port.
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let url = format!("http://{}/", listener.local_addr().expect("address"));
        let shared = Arc::new((
            Mutex::new(State {
                next_message_id: 1,
                ..State::default()
            }),
            Condvar::new(),
        ));
        let server = shared.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = server.clone();
                std::thread::spawn(move || serve_connection(stream, &shared));
            }
        });
        FakeApi { shared, url }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.shared.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Messages deleted so far: chat and message id.
    pub fn deleted(&self) -> Vec<(i64, i32)> {
        self.state().deleted.clone()
    }

    /// A real teloxide bot that talks to this server (as the binary's does
    /// through `TELOXIDE_API_URL`).
    pub fn bot(&self) -> teloxide::Bot {
        teloxide::Bot::new("123456:fake-api-token")
            .set_api_url(reqwest::Url::parse(&self.url).expect("server url"))
    }

    /// Gives the bot a private text message from `user`; returns its update id.
    pub fn message(&self, user: u64, text: &str) -> u32 {
        let state = self.state();
        let id = state.updates.last().map_or(1000, |(id, _)| id + 1);
        let message = MockMessageText::new()
            .text(text)
            .id(id as i32)
            .from(MockUser::new().id(user).build())
            .chat(MockPrivateChat::new().id(user as i64).build())
            .build();
        self.queue(state, id, message)
    }

    /// Gives the bot a message from `user` in the supergroup `chat`;
    /// returns its update id.
    pub fn group_message(&self, chat: i64, user: u64, text: &str) -> u32 {
        let state = self.state();
        let id = state.updates.last().map_or(1000, |(id, _)| id + 1);
        let message = MockMessageText::new()
            .text(text)
            .id(id as i32)
            .from(MockUser::new().id(user).build())
            .chat(MockSupergroupChat::new().id(chat).build())
            .build();
        self.queue(state, id, message)
    }

    /// Gives the bot a post in the channel `chat` (where it is an admin);
    /// returns its update id.
    pub fn channel_post(&self, chat: i64, text: &str) -> u32 {
        let state = self.state();
        let id = state.updates.last().map_or(1000, |(id, _)| id + 1);
        let mut message = MockMessageText::new()
            .text(text)
            .id(id as i32)
            .chat(MockChannelChat::new().id(chat).build())
            .build();
        message.from = None;
        self.queue_kind(state, id, UpdateKind::ChannelPost(message))
    }

    /// Makes `user` an admin of the group `chat`, as `getChatMember` tells.
    pub fn make_chat_admin(&self, chat: i64, user: u64) {
        self.state().chat_admins.push((chat, user));
    }

    /// Queues `message` as update `id` and wakes a waiting `getUpdates`.
    fn queue(&self, state: MutexGuard<'_, State>, id: u32, message: Message) -> u32 {
        self.queue_kind(state, id, UpdateKind::Message(message))
    }

    /// Queues an update of any kind as `id` and wakes a waiting `getUpdates`.
    fn queue_kind(&self, mut state: MutexGuard<'_, State>, id: u32, kind: UpdateKind) -> u32 {
        let update = Update {
            id: UpdateId(id),
            kind,
        };
        state
            .updates
            .push((id, serde_json::to_value(update).expect("update JSON")));
        drop(state);
        self.shared.1.notify_all();
        id
    }

    /// Gives the bot a private message from `user` with a document attached
    /// (`caption` as its caption); returns its update id.
    pub fn document(&self, user: u64, file_name: &str, caption: &str, bytes: Vec<u8>) -> u32 {
        let mut state = self.state();
        let id = state.updates.last().map_or(1000, |(id, _)| id + 1);
        let file_id = format!("doc{id}");
        let message = MockMessageDocument::new()
            .caption(caption)
            .file_name(file_name)
            .file_id(file_id.clone().into())
            .file_unique_id(file_id.clone().into())
            .file_size(bytes.len() as u32)
            .id(id as i32)
            .from(MockUser::new().id(user).build())
            .chat(MockPrivateChat::new().id(user as i64).build())
            .build();
        state.files.insert(file_id, bytes);
        self.queue(state, id, message)
    }

    /// Queues faults for the next requests of `method` (any case).
    pub fn inject(&self, method: &str, faults: impl IntoIterator<Item = Fault>) {
        self.state()
            .faults
            .entry(method.to_lowercase())
            .or_default()
            .extend(faults.into_iter().map(|f| (None, f)));
    }

    /// Queues faults for the next requests of `method` to `chat`.
    pub fn inject_for(&self, method: &str, chat: i64, faults: impl IntoIterator<Item = Fault>) {
        self.state()
            .faults
            .entry(method.to_lowercase())
            .or_default()
            .extend(faults.into_iter().map(|f| (Some(chat), f)));
    }

    /// Faults of `method` not yet met.
    pub fn faults_left(&self, method: &str) -> usize {
        self.state()
            .faults
            .get(&method.to_lowercase())
            .map_or(0, VecDeque::len)
    }

    /// Requests of `method` so far, faults included.
    pub fn calls(&self, method: &str) -> usize {
        self.state()
            .calls
            .get(&method.to_lowercase())
            .copied()
            .unwrap_or(0)
    }

    /// The longest long-polling timeout the bot asked for, in seconds.
    pub fn longest_poll(&self) -> u64 {
        self.state().longest_poll
    }

    /// Every message accepted so far.
    pub fn sent(&self) -> Vec<Sent> {
        self.state().sent.clone()
    }

    /// Messages accepted for `chat` whose text contains `needle`.
    pub fn sent_to(&self, chat: i64, needle: &str) -> usize {
        self.state()
            .sent
            .iter()
            .filter(|s| s.chat == chat && s.text.contains(needle))
            .count()
    }

    /// The first accepted message replying to message `id`, if any.
    pub fn reply_to(&self, id: u32) -> Option<Sent> {
        self.state()
            .sent
            .iter()
            .find(|s| s.reply_to == Some(i64::from(id)))
            .cloned()
    }

    /// The next `getUpdates` gives every update again, as Telegram does
    /// after a crash for updates it was not told were handled.
    pub fn replay_everything(&self) {
        self.state().replay = true;
        self.shared.1.notify_all();
    }

    /// Holds `sendMessage` to any chat but these with no answer, until
    /// [`FakeApi::release_sends`].
    pub fn hold_sends_except(&self, chats: &[i64]) {
        self.state().hold_sends_except = Some(chats.to_vec());
    }

    /// Ends holding; held connections are closed unanswered.
    pub fn release_sends(&self) {
        self.state().hold_sends_except = None;
    }

    /// Requests held with no answer right now.
    pub fn held(&self) -> usize {
        self.state().held
    }

    /// Waits until `done` holds, checking every 50 ms; false on timeout.
    pub fn wait_for(&self, timeout: Duration, done: impl Fn(&FakeApi) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if done(self) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        done(self)
    }
}

/// Starts the real binary as the bot on `data_dir`, polling `api`, with
/// `admin` as its admin; its log goes to `log`.
pub fn start_bot(data_dir: &Path, api: &FakeApi, admin: u64, log: &Path) -> Child {
    start_bot_with(data_dir, api, admin, log, &[])
}

/// [`start_bot`] with more settings in the bot's environment.
pub fn start_bot_with(
    data_dir: &Path,
    api: &FakeApi,
    admin: u64,
    log: &Path,
    settings: &[(&str, &str)],
) -> Child {
    std::fs::create_dir_all(data_dir).expect("data dir");
    let log = std::fs::File::create(log).expect("log file");
    binary(data_dir)
        .envs(settings.iter().copied())
        .arg("bot")
        .env("TELOXIDE_TOKEN", "123456:fake-api-token")
        .env("TELOXIDE_API_URL", &api.url)
        .env("ADMIN_IDS", admin.to_string())
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start the bot")
}

/// Stops a bot with SIGTERM and waits for it; panics if it does not stop
/// within 40 s or stops with an error.
pub fn stop_bot(mut bot: Child) {
    assert!(
        bot.try_wait().expect("status").is_none(),
        "the bot had exited"
    );
    // SAFETY: kill(2) on our own child's pid.
    unsafe { libc::kill(bot.id() as i32, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(40);
    let status = loop {
        if let Some(status) = bot.try_wait().expect("status") {
            break status;
        }
        assert!(Instant::now() < deadline, "no stop within 40 s of SIGTERM");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "SIGTERM exit: {status}");
}

/// One request: method (lower case) and JSON body.
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<(String, Value)> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let path = line.split_whitespace().nth(1)?.to_string();
    let mut length = 0;
    let mut chunked = false;
    let mut boundary = None;
    loop {
        line.clear();
        reader.read_line(&mut line).ok()?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse().ok()?;
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.eq_ignore_ascii_case("chunked");
            } else if name.eq_ignore_ascii_case("content-type") {
                boundary = value
                    .split(';')
                    .find_map(|p| p.trim().strip_prefix("boundary="))
                    .map(|b| b.trim_matches('"').to_string());
            }
        }
    }
    let body = if chunked {
        let mut body = Vec::new();
        loop {
            line.clear();
            reader.read_line(&mut line).ok()?;
            let size = usize::from_str_radix(line.trim(), 16).ok()?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).ok()?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
        body
    } else {
        let mut body = vec![0; length];
        reader.read_exact(&mut body).ok()?;
        body
    };
    let method = path.rsplit('/').next()?.to_lowercase();
    let body = match boundary {
        Some(boundary) => multipart_fields(&body, &boundary),
        None => serde_json::from_slice(&body).unwrap_or(Value::Null),
    };
    Some((method, body))
}

/// The fields of a `multipart/form-data` body (`sendPhoto`) as a JSON
/// object of strings.
fn multipart_fields(body: &[u8], boundary: &str) -> Value {
    let body = String::from_utf8_lossy(body);
    let mut fields = serde_json::Map::new();
    for part in body.split(&format!("--{boundary}")) {
        let Some((head, value)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let Some(name) = head
            .split(';')
            .find_map(|p| p.trim().strip_prefix("name="))
            .map(|n| n.trim_matches('"').to_string())
        else {
            continue;
        };
        let value = value.strip_suffix("\r\n").unwrap_or(value);
        fields.insert(name, Value::String(value.to_string()));
    }
    Value::Object(fields)
}

fn respond(stream: &mut TcpStream, status: &str, content_type: &str, body: &str) -> bool {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).is_ok()
        && stream.write_all(body.as_bytes()).is_ok()
        && stream.flush().is_ok()
}

fn serve_connection(stream: TcpStream, shared: &(Mutex<State>, Condvar)) {
    let mut writer = stream.try_clone().expect("clone stream");
    let mut reader = BufReader::new(stream);
    while let Some((method, body)) = read_request(&mut reader) {
        // A file download (`/file/bot<token>/<id>`).
        let file = {
            let state = shared.0.lock().unwrap_or_else(|e| e.into_inner());
            state.files.get(&method).cloned()
        };
        if let Some(bytes) = file {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n",
                bytes.len()
            );
            if writer.write_all(head.as_bytes()).is_err() || writer.write_all(&bytes).is_err() {
                return;
            }
            continue;
        }
        let fault = {
            let mut state = shared.0.lock().unwrap_or_else(|e| e.into_inner());
            *state.calls.entry(method.clone()).or_default() += 1;
            let chat = chat_of(&body);
            state.faults.get_mut(&method).and_then(|queue| {
                let next = queue
                    .iter()
                    .position(|(for_chat, _)| for_chat.is_none_or(|c| c == chat))?;
                queue.remove(next).map(|(_, fault)| fault)
            })
        };
        match fault {
            Some(Fault::Drop) => return,
            Some(Fault::Slow(wait)) => std::thread::sleep(wait),
            Some(fault) => {
                let (status, content_type, body) = fault_answer(fault);
                if !respond(&mut writer, status, content_type, &body) {
                    return;
                }
                continue;
            }
            None => {}
        }
        let Some(result) = answer(shared, &method, &body) else {
            return; // held, then closed unanswered
        };
        let body = json!({"ok": true, "result": result}).to_string();
        if !respond(&mut writer, "200 OK", "application/json", &body) {
            return;
        }
    }
}

/// The status, content type and body a fault answers with (for the faults
/// that answer at all).
fn fault_answer(fault: Fault) -> (&'static str, &'static str, String) {
    match fault {
        Fault::TooManyRequests(seconds) => (
            "429 Too Many Requests",
            "application/json",
            json!({"ok": false, "error_code": 429,
                "description": format!("Too Many Requests: retry after {seconds}"),
                "parameters": {"retry_after": seconds}})
            .to_string(),
        ),
        Fault::ServerErrorHtml => (
            "500 Internal Server Error",
            "text/html",
            "<html><body><h1>500 Internal Server Error</h1></body></html>".to_string(),
        ),
        Fault::BadGatewayJson => (
            "502 Bad Gateway",
            "application/json",
            json!({"ok": false, "error_code": 502, "description": "Bad Gateway"}).to_string(),
        ),
        Fault::MalformedJson => (
            "200 OK",
            "application/json",
            "{\"ok\":true,\"result\":[{\"upd".to_string(),
        ),
        Fault::Blocked => (
            "403 Forbidden",
            "application/json",
            json!({"ok": false, "error_code": 403,
                "description": "Forbidden: bot was blocked by the user"})
            .to_string(),
        ),
        Fault::Drop | Fault::Slow(_) => unreachable!("{fault:?} does not answer"),
    }
}

/// The chat a request is for; 0 when it names none.
fn chat_of(body: &Value) -> i64 {
    body["chat_id"]
        .as_i64()
        .or_else(|| body["chat_id"].as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(0)
}

/// The `result` of a successful request; `None` when the request is held
/// and then dropped.
fn answer(shared: &(Mutex<State>, Condvar), method: &str, body: &Value) -> Option<Value> {
    let (lock, wake) = shared;
    let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
    match method {
        "getme" => Some(
            serde_json::to_value(MockMe::new().username("union_test_bot").build()).expect("me"),
        ),
        "getupdates" => {
            let offset = body["offset"].as_u64().unwrap_or(0) as u32;
            state.confirmed = state.confirmed.max(offset);
            // Held as long as asked, as Telegram does.
            let asked = body["timeout"].as_u64().unwrap_or(0);
            state.longest_poll = state.longest_poll.max(asked);
            let timeout = Duration::from_secs(asked);
            let deadline = Instant::now() + timeout;
            loop {
                let from = if state.replay { 0 } else { state.confirmed };
                let batch: Vec<Value> = state
                    .updates
                    .iter()
                    .filter(|(id, _)| *id >= from)
                    .map(|(_, update)| update.clone())
                    .collect();
                let now = Instant::now();
                if !batch.is_empty() || now >= deadline {
                    state.replay = false;
                    return Some(Value::Array(batch));
                }
                state = wake
                    .wait_timeout(state, deadline - now)
                    .unwrap_or_else(|e| e.into_inner())
                    .0;
            }
        }
        "deletemessage" => {
            let chat = chat_of(body);
            let id = body["message_id"].as_i64().unwrap_or(0) as i32;
            state.deleted.push((chat, id));
            Some(Value::Bool(true))
        }
        "sendmessage" | "editmessagetext" | "sendphoto" | "editmessagecaption" => {
            let chat = chat_of(body);
            let held = method == "sendmessage"
                && state
                    .hold_sends_except
                    .as_ref()
                    .is_some_and(|free| !free.contains(&chat));
            if held {
                state.held += 1;
                while state.hold_sends_except.is_some() {
                    state = wake
                        .wait_timeout(state, Duration::from_millis(100))
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
                state.held -= 1;
                return None;
            }
            let text = body["text"]
                .as_str()
                .or(body["caption"].as_str())
                .unwrap_or("")
                .to_string();
            let id = match method {
                "editmessagetext" | "editmessagecaption" => body["message_id"]
                    .as_i64()
                    .or_else(|| body["message_id"].as_str().and_then(|s| s.parse().ok()))
                    .unwrap_or(0)
                    as i32,
                _ => {
                    state.next_message_id += 1;
                    state.next_message_id - 1
                }
            };
            state.sent.push(Sent {
                id,
                method: method.to_string(),
                chat,
                text: text.clone(),
                reply_to: body["reply_parameters"]["message_id"].as_i64(),
                markup: body["reply_markup"].clone(),
                silent: body["disable_notification"].as_bool().unwrap_or(false),
            });
            let message = MockMessageText::new()
                .text(text)
                .id(id)
                .chat(MockPrivateChat::new().id(chat).build())
                .build();
            debug_assert_eq!(message.id, MessageId(id));
            Some(serde_json::to_value(message).expect("message JSON"))
        }
        "getfile" => {
            let id = body["file_id"].as_str().unwrap_or("").to_lowercase();
            let size = state.files.get(&id).map_or(0, Vec::len);
            Some(
                json!({"file_id": id, "file_unique_id": id, "file_size": size,
                "file_path": id}),
            )
        }
        "getchatmember" => {
            let chat = chat_of(body);
            let user = body["user_id"]
                .as_u64()
                .or_else(|| body["user_id"].as_str().and_then(|s| s.parse().ok()))
                .unwrap_or(0);
            let kind = if state.chat_admins.contains(&(chat, user)) {
                ChatMemberKind::Owner(Owner {
                    custom_title: None,
                    is_anonymous: false,
                })
            } else {
                ChatMemberKind::Member(Member { until_date: None })
            };
            let member = ChatMember {
                user: MockUser::new().id(user).build(),
                kind,
            };
            Some(serde_json::to_value(member).expect("chat member JSON"))
        }
        "getwebhookinfo" => Some(json!({"url": "", "has_custom_certificate": false,
            "pending_update_count": 0})),
        _ => Some(Value::Bool(true)),
    }
}
