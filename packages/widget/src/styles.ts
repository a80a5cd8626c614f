// The widget's whole stylesheet. Adopted into the shadow root as a constructable stylesheet, so a
// strict Content-Security-Policy (no 'unsafe-inline' styles) still applies it; see mount.tsx.
export const css = /* css */ `
:host{all:initial;display:block;contain:content}
:host(.bt-fill){height:100%;min-height:320px}
.root{--bt-accent:var(--banter-accent,#2563eb);--bt-accent-text:var(--banter-accent-text,#fff);--bt-radius:var(--banter-radius,14px);--bt-font:var(--banter-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);
--bt-bg:#fff;--bt-surface:#f5f6f8;--bt-bubble:#eceff3;--bt-text:#1b1f24;--bt-muted:#555e6b;--bt-border:#d5d9df;--bt-link:#1d4ed8;--bt-danger:#b42318;--bt-focus:#1d4ed8;--bt-banner:#fff4d6;--bt-banner-text:#5c3d00;
font:14px/1.45 var(--bt-font);color:var(--bt-text);box-sizing:border-box;height:100%;-webkit-font-smoothing:antialiased}
.fill{height:100%}
.root *,.root *::before,.root *::after{box-sizing:inherit}
.dark{--bt-bg:#16181d;--bt-surface:#1e2128;--bt-bubble:#2a2e36;--bt-text:#e8eaed;--bt-muted:#a6adb8;--bt-border:#3a3f49;--bt-link:#9cc3ff;--bt-danger:#ff8b80;--bt-focus:#9cc3ff;--bt-banner:#3d2f0a;--bt-banner-text:#ffe2a3}
@media (prefers-color-scheme:dark){.auto{--bt-bg:#16181d;--bt-surface:#1e2128;--bt-bubble:#2a2e36;--bt-text:#e8eaed;--bt-muted:#a6adb8;--bt-border:#3a3f49;--bt-link:#9cc3ff;--bt-danger:#ff8b80;--bt-focus:#9cc3ff;--bt-banner:#3d2f0a;--bt-banner-text:#ffe2a3}}
button,textarea{font:inherit;color:inherit}
button{cursor:pointer;background:none;border:0;padding:0}
:focus-visible{outline:2px solid var(--bt-focus);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.panel{display:flex;flex-direction:column;height:100%;background:var(--bt-bg);overflow:hidden;border:1px solid var(--bt-border);border-radius:var(--bt-radius)}
.inbox{display:flex;height:100%;background:var(--bt-bg);border:1px solid var(--bt-border);border-radius:var(--bt-radius);overflow:hidden}
.inbox>.list-pane{width:min(320px,40%);border-right:1px solid var(--bt-border);flex:none}
.inbox>.view-pane{flex:1;min-width:0}
.inbox.narrow>*{width:100%;border:0}
.list-pane,.view-pane{display:flex;flex-direction:column;min-height:0;height:100%}
.empty{margin:auto;padding:24px;color:var(--bt-muted);text-align:center}
header{display:flex;align-items:center;gap:8px;padding:10px 12px;border-bottom:1px solid var(--bt-border);background:var(--bt-surface);min-height:52px}
header h2{font-size:15px;font-weight:600;margin:0;flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.icon{width:32px;height:32px;border-radius:50%;display:grid;place-items:center;font-size:18px;line-height:1}
.icon:hover{background:var(--bt-bubble)}
.convs{list-style:none;margin:0;padding:0;overflow-y:auto;flex:1}
.conv{display:flex;gap:10px;width:100%;padding:10px 12px;text-align:left;align-items:center;border-bottom:1px solid var(--bt-border)}
.conv:hover,.conv[aria-current=true]{background:var(--bt-surface)}
.conv-main{flex:1;min-width:0}
.conv-top{display:flex;gap:6px;align-items:baseline}
.conv-name{flex:1;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.conv-time{font-size:12px;color:var(--bt-muted)}
.conv-preview{display:flex;gap:6px;color:var(--bt-muted);font-size:13px}
.conv-preview span:first-child{flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.conv.unread .conv-preview{color:var(--bt-text);font-weight:500}
.count{min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:var(--bt-accent);color:var(--bt-accent-text);font-size:12px;font-weight:600;display:inline-grid;place-items:center}
.more{padding:10px;color:var(--bt-link);text-decoration:underline;width:100%}
.avatar{width:36px;height:36px;border-radius:50%;flex:none;display:grid;place-items:center;font-size:13px;font-weight:600;color:#fff;overflow:hidden;background:#4b5563}
.avatar.sm{width:28px;height:28px;font-size:11px}
.avatar img{width:100%;height:100%;object-fit:cover}
.c0{background:#b42318}.c1{background:#1d4ed8}.c2{background:#047857}.c3{background:#7e22ce}.c4{background:#a15c07}.c5{background:#be185d}.c6{background:#0e7490}.c7{background:#4b5563}
.scroll{flex:1;overflow-y:auto;padding:8px 12px;overscroll-behavior:contain;position:relative}
.view{position:relative;display:flex;flex-direction:column;flex:1;min-height:0}
.older{display:block;margin:4px auto 8px;color:var(--bt-link);text-decoration:underline;font-size:13px}
.day{text-align:center;font-size:12px;color:var(--bt-muted);margin:12px 0 6px}
.group{display:flex;gap:8px;margin:6px 0;align-items:flex-end}
.group.mine{flex-direction:row-reverse}
.bubbles{display:flex;flex-direction:column;gap:2px;max-width:78%;min-width:0}
.mine .bubbles{align-items:flex-end}
.sender{font-size:12px;color:var(--bt-muted);margin:0 0 2px 4px}
.msg{display:flex;flex-direction:column}
.mine .msg{align-items:flex-end}
.bubble{padding:7px 11px;border-radius:var(--bt-radius);background:var(--bt-bubble);white-space:pre-wrap;overflow-wrap:anywhere;max-width:100%}
.mine .bubble{background:var(--bt-accent);color:var(--bt-accent-text)}
.bubble a{color:var(--bt-link);text-decoration:underline}
.mine .bubble a{color:inherit}
.msg.pending .bubble{opacity:.75}
.msg.failed .bubble{outline:1px solid var(--bt-danger)}
.status{font-size:12px;color:var(--bt-muted);margin:2px 4px 0;display:flex;gap:8px;align-items:center;position:relative}
.status.failed{color:var(--bt-danger)}
.status button{color:var(--bt-link);text-decoration:underline}
.receipt{border-bottom:1px dotted currentColor}
.tip{display:none;position:absolute;bottom:100%;right:0;background:var(--bt-text);color:var(--bt-bg);padding:4px 8px;border-radius:6px;white-space:nowrap;z-index:2}
.receipt:hover+.tip,.receipt:focus+.tip{display:block}
.typing{font-size:12px;color:var(--bt-muted);padding:0 14px;min-height:18px}
.pill{position:absolute;left:50%;bottom:8px;transform:translateX(-50%);background:var(--bt-accent);color:var(--bt-accent-text);padding:6px 14px;border-radius:16px;font-size:13px;box-shadow:0 2px 8px rgba(0,0,0,.2)}
.banner{background:var(--bt-banner);color:var(--bt-banner-text);padding:6px 12px;font-size:13px}
.composer{display:flex;gap:8px;padding:8px;border-top:1px solid var(--bt-border);align-items:flex-end}
.composer textarea{flex:1;resize:none;border:1px solid var(--bt-border);border-radius:calc(var(--bt-radius) - 4px);padding:8px 10px;background:var(--bt-bg);max-height:140px;min-height:38px;line-height:1.4}
.composer .sendbtn{background:var(--bt-accent);color:var(--bt-accent-text);border-radius:calc(var(--bt-radius) - 4px);padding:8px 14px;font-weight:600}
.composer .sendbtn:disabled{opacity:.5;cursor:default}
.limit{font-size:12px;color:var(--bt-muted);padding:0 12px 6px}
.limit.over{color:var(--bt-danger)}
.launcher{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;background:var(--bt-accent);color:var(--bt-accent-text);box-shadow:0 4px 16px rgba(0,0,0,.25);display:grid;place-items:center;z-index:2147483646}
.launcher svg{width:26px;height:26px;fill:currentColor}
.launcher .count{position:absolute;top:-2px;right:-2px;background:#b42318;color:#fff;outline:2px solid #fff}
.popup{position:fixed;right:20px;bottom:88px;width:min(380px,calc(100vw - 24px));height:min(600px,calc(100vh - 112px));z-index:2147483647;box-shadow:0 8px 32px rgba(0,0,0,.25);border-radius:var(--bt-radius)}
@media (max-width:480px){.popup{right:0;left:0;bottom:0;top:0;width:auto;height:auto;border-radius:0}.popup .panel{border-radius:0}}
@media (prefers-reduced-motion:no-preference){.popup{animation:bt-in .16s ease-out}@keyframes bt-in{from{opacity:0;transform:translateY(8px)}}}
`;
