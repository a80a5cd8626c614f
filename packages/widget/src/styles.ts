// The widget's whole stylesheet. Adopted into the shadow root as a constructable stylesheet, so a
// strict Content-Security-Policy (no 'unsafe-inline' styles) still applies it; see mount.tsx.
// No `contain` on :host: layout containment would trap the popup's position:fixed inside it.
const dark =
  '--bg:#16181d;--sf:#1e2128;--bb:#2a2e36;--tx:#e8eaed;--mu:#a6adb8;--bd:#3a3f49;--ln:#9cc3ff;--er:#ff8b80;--bn:#3d2f0a;--bnt:#ffe2a3';
export const css = /* css */ `
:host{all:initial;display:block}
:host(.bt-fill){height:100%;min-height:320px}
.root{--ac:var(--banter-accent,#2563eb);--at:var(--banter-accent-text,#fff);--r:var(--banter-radius,14px);
--bg:#fff;--sf:#f5f6f8;--bb:#eceff3;--tx:#1b1f24;--mu:#555e6b;--bd:#d5d9df;--ln:#1d4ed8;--er:#b42318;--bn:#fff4d6;--bnt:#5c3d00;
font:14px/1.45 var(--banter-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);color:var(--tx);height:100%}
.dark{${dark}}
@media (prefers-color-scheme:dark){.auto{${dark}}}
*,::before,::after{box-sizing:border-box}
p,h2,h3,ul{margin:0;padding:0}
button,textarea{font:inherit;color:inherit}
button{cursor:pointer;background:none;border:0;padding:0}
:focus-visible{outline:2px solid var(--ln);outline-offset:2px}
.conv:focus-visible,.scroll:focus-visible,.popup:focus-visible,textarea:focus-visible{outline-offset:-2px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.fill{height:100%}
.panel,.inbox{display:flex;flex-direction:column;height:100%;background:var(--bg);border:1px solid var(--bd);border-radius:var(--r);overflow:hidden}
.inbox{flex-direction:row}
.inbox>nav{width:min(320px,40%);border-right:1px solid var(--bd);flex:none}
.narrow>*{width:100%!important;border:0!important}
.list-pane,.view-pane,.view{display:flex;flex-direction:column;min-height:0;flex:1}
.view{position:relative}
.empty{margin:auto;padding:24px;color:var(--mu);text-align:center}
header{display:flex;align-items:center;gap:8px;padding:10px 12px;border-bottom:1px solid var(--bd);background:var(--sf);min-height:52px}
h2{font-size:15px;flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.icon{width:32px;height:32px;border-radius:50%;font-size:20px}
.icon:hover{background:var(--bb)}
.convs{list-style:none;overflow-y:auto;flex:1}.search{margin:8px 12px;padding:6px 10px;border:1px solid var(--bd);border-radius:8px;font:inherit;background:none;color:inherit}
.conv{display:flex;gap:10px;width:100%;padding:10px 12px;text-align:left;align-items:center;border-bottom:1px solid var(--bd)}
.conv:hover,.conv[aria-current]{background:var(--sf)}
.conv-main{flex:1;min-width:0}
.conv-top,.conv-preview{display:flex;gap:6px;align-items:baseline}
.conv-name,.conv-preview>:first-child{flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.conv-name{font-weight:600}
.conv-time,.conv-preview,.day,.sender,.status,.typing,.limit{font-size:12px;color:var(--mu)}
.unread .conv-preview{color:var(--tx);font-weight:500}
.count{min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:var(--ac);color:var(--at);font-size:12px;font-weight:600;display:inline-grid;place-items:center}
.more,.older,.status button{color:var(--ln);text-decoration:underline}
.more{padding:10px}
.avatar{width:36px;height:36px;border-radius:50%;flex:none;display:grid;place-items:center;font-size:13px;font-weight:600;color:#fff;overflow:hidden}
.sm{width:28px;height:28px;font-size:11px}
.avatar img{width:100%;height:100%;object-fit:cover}
.c0{background:#b42318}.c1{background:#1d4ed8}.c2{background:#047857}.c3{background:#7e22ce}.c4{background:#975a08}.c5{background:#be185d}.c6{background:#0e7490}.c7{background:#4b5563}
.scroll{position:relative;flex:1;overflow-y:auto;padding:8px 12px;overscroll-behavior:contain}
.older{display:block;margin:4px auto 8px}
.day{text-align:center;margin:12px 0 6px}
.group{display:flex;gap:8px;margin:6px 0;align-items:flex-end}
.mine{flex-direction:row-reverse}
.bubbles,.msgs{display:flex;flex-direction:column;gap:2px;min-width:0;align-items:flex-start}
.bubbles{max-width:78%}
.mine .bubbles,.mine .msgs,.mine .msg{align-items:flex-end}
.sender{margin-left:4px}
.msg{display:flex;flex-direction:column;align-items:flex-start;max-width:100%}
.bubble{padding:7px 11px;border-radius:var(--r);background:var(--bb);white-space:pre-wrap;overflow-wrap:anywhere;max-width:100%}
.mine .bubble{background:var(--ac);color:var(--at)}
.at{background:var(--bn);color:var(--bnt)}
.bubble a{color:var(--ln)}
.mine .bubble a{color:inherit}
.time{float:inline-end;margin:5px 0 0 10px;font-size:11px;line-height:1;color:var(--mu)}
.mine .time{color:inherit}
.divider{display:flex;align-items:center;gap:8px;margin:10px 0;font-size:12px;font-weight:600;color:var(--er)}
.divider::before,.divider::after{content:"";flex:1;border-top:1px solid}
.av-wrap{position:relative;display:inline-flex;flex:none}
.dot{position:absolute;right:-1px;bottom:-1px;width:11px;height:11px;border-radius:50%;background:#15803d;border:2px solid var(--bg)}
.failed .bubble{outline:1px solid var(--er)}
.status{margin:2px 4px 0;display:flex;gap:8px;position:relative}
.status.failed{color:var(--er)}
.status .receipt{color:inherit;text-decoration:none;border-bottom:1px dotted}
.tip{display:none;position:absolute;bottom:100%;right:0;background:var(--tx);color:var(--bg);padding:4px 8px;border-radius:6px;white-space:nowrap}
.receipt:hover+.tip,.receipt:focus+.tip{display:block}
.typing{padding:0 14px;min-height:18px}
.pill{position:absolute;left:50%;bottom:8px;transform:translateX(-50%);padding:6px 14px;border-radius:16px;box-shadow:0 2px 8px #0003}
.pill,.sendbtn,.launcher{background:var(--ac);color:var(--at)}
.banner{background:var(--bn);color:var(--bnt);padding:6px 12px;font-size:13px}
.composer{position:relative;display:flex;gap:8px;padding:8px;border-top:1px solid var(--bd);align-items:flex-end}
textarea::placeholder{color:var(--mu)}
textarea{flex:1;resize:none;border:1px solid var(--bd);border-radius:calc(var(--r) - 4px);padding:8px 10px;background:var(--bg);max-height:140px}
.sendbtn{border-radius:calc(var(--r) - 4px);padding:8px 14px;font-weight:600}
.sendbtn:disabled{opacity:.5;cursor:default}
.limit{padding:0 12px 6px}
.limit.over{color:var(--er)}
.launcher,.popup{position:fixed;right:20px;z-index:2147483647;box-shadow:0 4px 16px #0004}
.launcher{bottom:calc(20px + env(safe-area-inset-bottom,0px));right:calc(20px + env(safe-area-inset-right,0px));width:56px;height:56px;border-radius:50%;display:grid;place-items:center}
.launcher svg{width:26px;height:26px;fill:currentColor}
.x{fill:none;stroke:currentColor;stroke-width:2.5;stroke-linecap:round}
.launcher .count{position:absolute;top:-2px;right:-2px;background:#b42318;color:#fff;outline:2px solid #fff}
.popup{bottom:calc(88px + env(safe-area-inset-bottom,0px));width:min(380px,calc(100vw - 24px));height:min(600px,calc(100vh - 112px));height:min(600px,calc(100dvh - 112px));border-radius:var(--r)}
@media (max-width:480px),(max-height:520px){.popup{inset:0;width:auto;height:auto;background:var(--bg);padding:env(safe-area-inset-top,0px) env(safe-area-inset-right,0px) env(safe-area-inset-bottom,0px) env(safe-area-inset-left,0px)}.popup,.popup .panel{border-radius:0;border:0}.open .launcher{display:none}}
@media (prefers-reduced-motion:no-preference){.popup{animation:bt-in .16s ease-out}}
@keyframes bt-in{from{opacity:0;transform:translateY(8px)}}
`;
