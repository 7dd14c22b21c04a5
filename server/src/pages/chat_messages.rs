//! The strings of the chat pages and their script: (key, 中文, English).

pub static CHAT_MESSAGES: &[(&str, &str, &str)] = &[
    ("nav.chat", "交流", "Chat"),
    ("chat.rooms", "我的交流", "My chat rooms"),
    ("chat.room", "交流室", "Room"),
    ("chat.open_room", "进入交流室", "Open the chat room"),
    (
        "chat.none",
        "还没有交流室。加入工作室或参与揭榜后即可交流。",
        "No rooms yet. Join a studio or a challenge to chat.",
    ),
    ("chat.unread", "条未读", "unread"),
    ("chat.older", "更早的消息", "Older messages"),
    ("chat.newer", "回到最新", "Back to the newest"),
    ("chat.log", "消息记录", "Messages"),
    (
        "chat.empty",
        "还没有消息，来说第一句吧。",
        "No messages yet. Say the first word.",
    ),
    ("chat.message", "消息内容", "Message"),
    (
        "chat.hint",
        "纯文本，可带链接；@用户名 可提醒对方",
        "Plain text with links; @username notifies that person",
    ),
    ("chat.send", "发送", "Send"),
    ("chat.edited", "已编辑", "edited"),
    ("chat.deleted", "此消息已删除", "This message was deleted"),
    ("chat.online", "在线", "online"),
    ("chat.typing", "正在输入…", "is typing…"),
    ("chat.someone", "有人", "Someone"),
    ("chat.connecting", "正在连接…", "Connecting…"),
    ("chat.live", "已连接，实时更新", "Live"),
    (
        "chat.reconnecting",
        "连接断开，正在重连（不会丢消息）",
        "Connection lost, reconnecting (nothing is lost)",
    ),
    (
        "chat.rate_limited",
        "发送太快了，请稍候",
        "Sending too fast, wait a moment",
    ),
    ("chat.pending", "发送中", "sending"),
];
