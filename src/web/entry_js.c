/* SPDX-License-Identifier: MIT */
/*
 * The one script of the pages, compiled into the binary and served as
 * /entry.js under the Content-Security-Policy (script-src 'self': no
 * inline script anywhere).  Progressive enhancement only: on the visit
 * form it asks the API for the scores of the values being typed (POST
 * /api/v1/patients/{id}/response: the library's TIS, IMACS DOI and PRINTO
 * against the patient's baseline) and shows them in the form's
 * "live-scores" box.  The form saves without it, and the server computes
 * the scores again on save.  Every text is set with textContent: nothing
 * from the answer is read as HTML.
 */
#include "web_int.h"

static const char entry_script[] =
    "'use strict';\n"
    "(function () {\n"
    "  var form = document.getElementById('visit-form');\n"
    "  var out = document.getElementById('live-scores');\n"
    "  if (!form || !out || !window.fetch ||\n"
    "      form.querySelector('input[name=\"version\"]')) return;\n"
    "  var m = /^\\/patients\\/([^/]+)\\/visits$/.exec(form.getAttribute('action'));\n"
    "  var token = form.querySelector('input[name=\"csrf\"]');\n"
    "  if (!m || !token) return;\n"
    "  var url = '/api/v1/patients/' + m[1] + '/response';\n"
    "  var timer = null;\n"
    "  var seq = 0;\n"
    "  function line(text, cls) {\n"
    "    var p = document.createElement('p');\n"
    "    p.textContent = text;\n"
    "    if (cls) p.className = cls;\n"
    "    out.appendChild(p);\n"
    "    return p;\n"
    "  }\n"
    "  function values() {\n"
    "    var o = {};\n"
    "    Array.prototype.forEach.call(form.elements, function (el) {\n"
    "      if (el.name && el.name !== 'csrf' && el.value !== '') o[el.name] = el.value;\n"
    "    });\n"
    "    return o;\n"
    "  }\n"
    "  function crit(name, r) {\n"
    "    if (!r) return;\n"
    "    if (r.error) { line(name + ': ' + r.error); return; }\n"
    "    line(name + ': ' + (r.met ? 'met' : 'not met') + ' (' + r.status + ')',\n"
    "         'live-' + name.toLowerCase().replace(/[^a-z0-9]+/g, '-'));\n"
    "  }\n"
    "  function render(status, d) {\n"
    "    while (out.firstChild) out.removeChild(out.firstChild);\n"
    "    if (status !== 200) {\n"
    "      (d.errors || []).forEach(function (e) { line(e.error, 'error'); });\n"
    "      if (!d.errors) line(d.error || 'no scores', 'error');\n"
    "      return;\n"
    "    }\n"
    "    if (!d.baseline) { line(d.note || 'no baseline'); return; }\n"
    "    line('Against the baseline of ' + d.baseline.date +\n"
    "         (d.baseline.visit ? ' (visit ' + d.baseline.visit + ')' : ''));\n"
    "    if (d.tis && d.tis.error) line('TIS: ' + d.tis.error);\n"
    "    else if (d.tis) line('TIS ' + d.tis.score + ' (' + d.tis.level + ', ' +\n"
    "                         d.tis.status + ')', 'live-tis');\n"
    "    crit('IMACS DOI', d.imacs_doi);\n"
    "    (d.printo || []).forEach(function (r) { crit('PRINTO ' + r.level, r); });\n"
    "  }\n"
    "  function update() {\n"
    "    var mine = ++seq;\n"
    "    fetch(url, { method: 'POST', credentials: 'same-origin',\n"
    "                 headers: { 'Content-Type': 'application/json',\n"
    "                            'X-CSRF-Token': token.value },\n"
    "                 body: JSON.stringify(values()) })\n"
    "      .then(function (r) {\n"
    "        return r.json().then(function (d) { return [r.status, d]; });\n"
    "      })\n"
    "      .then(function (x) { if (mine === seq) render(x[0], x[1]); })\n"
    "      .catch(function () { /* the form still saves */ });\n"
    "  }\n"
    "  out.hidden = false;\n"
    "  form.addEventListener('input', function () {\n"
    "    clearTimeout(timer);\n"
    "    timer = setTimeout(update, 300);\n"
    "  });\n"
    "})();\n";

void myo_web_page_entry_js(myo_web_ctx *ctx)
{
    ctx->resp->status = 200;
    ctx->resp->content_type = "text/javascript; charset=utf-8";
    myo_web_buf_puts(&ctx->resp->body, entry_script);
}
