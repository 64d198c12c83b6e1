// The operators' console: plain JavaScript, no build. Every request carries the operator token the
// operator typed (kept in this tab's sessionStorage only). Everything shown is set as text, never
// as HTML.
"use strict";

const STATUSES = ["RUNNING", "FAILED", "COMPENSATING", "STUCK", "COMPLETED", "COMPENSATED"];
const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem("operator-token");
let status = "STUCK";

class ProblemError extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || "request failed");
    this.problem = problem;
  }
}

async function api(method, path) {
  const res = await fetch(path, { method, headers: { Authorization: "Bearer " + token } });
  const body = await res.json().catch(() => ({ status: res.status, detail: res.statusText }));
  if (!res.ok) {
    if (res.status === 401 || res.status === 403) {
      logout(body.detail);
    }
    throw new ProblemError(body);
  }
  return body;
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function row(tbody, cells) {
  const tr = document.createElement("tr");
  for (const c of cells) {
    tr.appendChild(c instanceof Node ? wrap(c) : el("td", c));
  }
  tbody.appendChild(tr);
  return tr;
}

function wrap(node) {
  if (node.tagName === "TD") return node;
  const td = document.createElement("td");
  td.appendChild(node);
  return td;
}

function say(text, isError) {
  $("message").textContent = text;
  $("message").className = isError ? "error" : "";
}

function button(text, cls, onClick) {
  const b = el("button", text, cls);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

async function loadSagas() {
  const data = await api("GET", "/console/api/sagas?status=" + encodeURIComponent(status) + "&limit=50");
  const counts = $("counts");
  counts.replaceChildren();
  for (const s of STATUSES) {
    const b = button(s + " ", s === status ? "current" : "", () => { status = s; loadSagas().catch(fail); });
    b.dataset.status = s;
    b.appendChild(el("span", data.counts[s] || 0, "count"));
    counts.appendChild(b);
  }
  $("list-title").textContent = data.status + " sagas, latest change first";
  const tbody = $("sagas").tBodies[0];
  tbody.replaceChildren();
  for (const s of data.sagas) {
    const open = button(s.sagaId, "open-order link", () => openOrder(s.sagaId).catch(fail));
    const actions = s.status === "STUCK" ? button("Resume", "resume", () => resume(s.sagaId).catch(fail)) : el("span");
    const tr = row(tbody, [open, s.status, s.currentStep || "", s.failureReason || "", s.updatedAt, actions]);
    tr.dataset.sagaId = s.sagaId;
  }
}

async function resume(id) {
  const r = await api("POST", "/sagas/" + encodeURIComponent(id) + "/resume");
  say("Resumed " + id + ": now " + r.saga.status + "; sent " + r.sent.map((s) => s.type + " " + s.id).join(", "));
  await loadSagas();
}

async function openOrder(id) {
  $("order-id").value = id;
  const o = await api("GET", "/console/api/orders/" + encodeURIComponent(id));
  const s = o.saga;
  const dl = $("order-summary");
  dl.replaceChildren();
  const facts = [
    ["order", s.sagaId], ["saga", s.saga], ["status", s.status], ["current step", s.currentStep || "-"],
    ["failure reason", s.failureReason || "-"], ["deadline", s.deadline || "-"],
    ["customer", s.order.customerId + " <" + s.order.email + ">"],
    ["total", (s.order.total.cents / 100).toFixed(2) + " " + s.order.total.currency],
    ["items", s.order.items.map((i) => i.quantity + " x " + i.isbn).join(", ")],
    ["payment method", s.order.paymentMethod], ["created", s.createdAt], ["updated", s.updatedAt],
  ];
  for (const [k, v] of facts) { dl.appendChild(el("dt", k)); dl.appendChild(el("dd", v)); }
  const steps = $("steps").tBodies[0];
  steps.replaceChildren();
  for (const st of s.steps) row(steps, [st.name, st.status, st.attempts, st.compensationAttempts]);
  showPart("payment", o.payment, (tbody, p) => {
    if (p.status) {
      row(tbody, [p.status, (p.amountCents / 100).toFixed(2) + " " + p.currency,
        el("td", p.authorizationId || "-", "mono"), p.declineReason || "-", p.updatedAt || "-"]);
    }
  });
  showPart("reservation", o.reservation, (tbody, r) => {
    if (r.status) {
      row(tbody, [r.status, r.items.map((i) => i.quantity + " x " + i.isbn).join(", "),
        r.expiresAt || "-", r.updatedAt || "-"]);
    }
  });
  showPart("notifications", o.notifications, (tbody, list) => {
    for (const n of list) {
      row(tbody, [n.topic, n.channel, el("td", n.recipient, "mono"), n.status, n.attempts,
        n.lastError || "-", n.sentAt || "-"]);
    }
  });
  const tl = $("timeline").tBodies[0];
  tl.replaceChildren();
  for (const e of o.timeline) {
    const arrow = { in: "took", out: "sent", operator: "operator" }[e.direction] || e.direction;
    row(tl, [e.at, el("td", arrow, e.direction), el("td", e.type, "mono"), el("td", e.source, "mono"), el("td", e.id || "", "mono")]);
  }
  $("order-view").hidden = false;
  say("Order " + id + ": " + s.status + ", " + o.timeline.length + " events");
}

// One owner's part of the order (payment, its stock hold, its notifications): its rows, "none"
// when it has nothing for the order, or what went wrong asking it.
function showPart(name, part, fill) {
  const tbody = $(name).tBodies[0];
  tbody.replaceChildren();
  $(name + "-source").textContent = part && part.source ? "from " + part.source : "";
  const error = $(name + "-error");
  error.hidden = !(part && part.error);
  error.textContent = part && part.error ? part.error : "";
  if (part && part.data) fill(tbody, part.data);
  if (!tbody.rows.length && !(part && part.error)) {
    const td = el("td", "none", "none");
    td.colSpan = $(name).tHead.rows[0].cells.length;
    tbody.appendChild(document.createElement("tr")).appendChild(td);
  }
}

async function loadLetters() {
  const letters = await api("GET", "/console/api/dead-letters?limit=50");
  const tbody = $("letters").tBodies[0];
  tbody.replaceChildren();
  for (const l of letters) {
    const ce = [l.ceType, l.ceId, l.ceSource].filter((x) => x).join("\n") || "(not a CloudEvent)";
    const action = l.redriven
      ? el("span", "redriven to " + l.redriven.topic + " at " + l.redriven.at)
      : button("Redrive", "redrive", () => redrive(l).catch(fail));
    const original = (l.topic || "?") + " " + (l.originalPartition || "?") + "@" + (l.originalOffset || "?");
    const tr = row(tbody, [l.deadLetteredAt, l.partition + "@" + l.offset, l.function || "", l.cause || "",
      l.reason || "", el("td", l.problem || "", "mono"), el("td", original, "mono"), el("td", ce, "mono"), action]);
    tr.dataset.ceId = l.ceId || "";
    tr.dataset.letter = l.partition + "@" + l.offset;
  }
}

async function redrive(l) {
  const r = await api("POST", "/console/api/dead-letters/" + l.partition + "/" + l.offset + "/redrive");
  say("Redrove dead letter " + l.partition + "@" + l.offset + " to " + r.redriven.topic + " (ce id " + (r.redriven.ceId || "none") + ")");
  await loadLetters();
}

function fail(e) {
  say(e.message, true);
}

function logout(why) {
  token = null;
  sessionStorage.removeItem("operator-token");
  $("app").hidden = true;
  $("logout").hidden = true;
  $("login").hidden = false;
  $("login-error").textContent = why || "";
}

async function start() {
  $("login").hidden = true;
  $("app").hidden = false;
  $("logout").hidden = false;
  await loadSagas(); // refused without the right token: back to the login
  sessionStorage.setItem("operator-token", token);
  loadLetters().catch(fail); // Kafka may be down while the sagas are readable
}

document.addEventListener("DOMContentLoaded", () => {
  $("login-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    token = $("token").value.trim();
    $("token").value = "";
    start().catch((e) => (token ? fail(e) : null)); // refused: logout() shows why
  });
  $("logout").addEventListener("click", () => logout("Logged out."));
  $("order-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    openOrder($("order-id").value.trim()).catch(fail);
  });
  $("reload-letters").addEventListener("click", () => loadLetters().catch(fail));
  if (token) start().catch(fail);
});
