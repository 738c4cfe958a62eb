/* SPDX-License-Identifier: MIT */
/*
 * The stylesheet, compiled into the binary: the pages need nothing from
 * outside the server (no CDN, no fonts, no scripts).
 */
#include "web_int.h"

const char myo_web_stylesheet[] =
    ":root{--fg:#1d2327;--muted:#5b6770;--line:#d5dbe0;--accent:#1f5f8b;"
    "--bad:#a4161a;--bg:#f6f8fa}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',"
    "sans-serif;color:var(--fg);background:var(--bg)}\n"
    "header{display:flex;gap:1.5rem;align-items:center;padding:.6rem 1.2rem;"
    "background:#fff;border-bottom:1px solid var(--line)}\n"
    "header .brand{font-weight:700;color:var(--accent);text-decoration:none}\n"
    "header nav{flex:1}\n"
    ".signout{display:flex;gap:.6rem;align-items:center;margin:0}\n"
    "main{max-width:72rem;margin:0 auto;padding:1rem 1.2rem 3rem}\n"
    "h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;"
    "border-bottom:1px solid var(--line)}\n"
    "table{border-collapse:collapse;width:100%;background:#fff}\n"
    "th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid "
    "var(--line);vertical-align:top}\n"
    "th{font-weight:600;color:var(--muted)}\n"
    "table.fields th{width:14rem}\n"
    ".scroll{overflow-x:auto}\n"
    ".none{color:var(--muted)}\n"
    ".error{color:var(--bad);border-left:4px solid var(--bad);"
    "padding:.3rem .8rem;background:#fff}\n"
    ".error pre{white-space:pre-wrap;margin:.3rem 0}\n"
    ".card{display:grid;gap:.4rem;max-width:32rem;background:#fff;"
    "padding:1rem;border:1px solid var(--line);border-radius:6px}\n"
    "label small{color:var(--muted);font-weight:400}\n"
    "input{font:inherit;padding:.35rem .5rem;border:1px solid var(--line);"
    "border-radius:4px}\n"
    "button,.button{font:inherit;padding:.35rem .9rem;border:0;"
    "border-radius:4px;background:var(--accent);color:#fff;"
    "text-decoration:none;cursor:pointer;justify-self:start}\n"
    "a{color:var(--accent)}\n"
    "summary{cursor:pointer;color:var(--accent);margin:.3rem 0}\n";
