// Patient chat widget. Embedded by the portal as an iframe: /widget/#token=<portal JWT>&procedure=<optional>
// (optionally &conversation=<id> to show an earlier conversation). The token stays in memory: it is
// read from the URL fragment (never sent to a server in a URL), removed from the address, and sent only
// as "Authorization: Bearer" to the API. Every text is inserted with textContent, never as HTML.
"use strict";

(function () {
  // The widget's own texts (Dutch, B1, "u"). The bot's replies come from the API.
  const TEXT = {
    title: "Vragen over uw behandeling",
    inputLabel: "Uw bericht",
    placeholder: "Typ hier uw vraag en druk op Enter",
    send: "Verstuur",
    you: "U",
    bot: "Chatbot",
    waiting: "Even geduld, ik zoek het antwoord op…",
    source: "Bron: folder",
    sourcePrefix: "Bron:",
    escalationTitle: "Neem nu direct contact op",
    call: "Bel",
    emergency: "Bij levensgevaar: bel",
    empty: "Typ eerst uw vraag.",
    noToken: "U bent niet ingelogd. Open de chat via het patiëntenportaal.",
    sessionExpired: "Uw sessie is verlopen. Log opnieuw in via het patiëntenportaal. Uw bericht is niet verstuurd; het staat nog in het invoerveld.",
    notFound: "Dit gesprek is niet gevonden. Uw volgende bericht begint een nieuw gesprek.",
    invalid: "Uw bericht kon niet worden verwerkt. Pas het aan en probeer het opnieuw.",
    tooMany: "U heeft veel berichten kort na elkaar gestuurd. Wacht even en probeer het dan opnieuw.",
    tooManyWait: "U heeft veel berichten kort na elkaar gestuurd. Probeer het over {seconds} seconden opnieuw.",
    unavailable: "Ik kan u nu niet antwoorden. Bel bij twijfel de afdeling waar u behandeld bent of uw huisarts. Bij levensgevaar: bel 112.",
  };

  const PROCEDURES = ["bloedpatch", "ruggenmergstimulatie", "hernia", "wortelinfiltratie"];
  const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,64}$/;
  const TIMEOUT_MS = 30000; // the API itself waits at most about 10 s for Rasa
  const API = new URL("../api/", document.baseURI); // relative: works behind a path prefix too

  const el = (id) => document.getElementById(id);
  const state = { token: null, procedure: null, conversationId: null, busy: false };

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setStatus(text, isError) {
    const status = el("status");
    status.textContent = text || "";
    status.hidden = !text;
    status.classList.toggle("status-error", Boolean(isError));
  }

  // A red-flag question's answers (ja/nee). A click sends the button's payload as the next message;
  // answering, or typing anything else, retires the buttons of every earlier question.
  function retireButtons() {
    for (const button of document.querySelectorAll(".answer-button")) button.disabled = true;
  }

  function addButtons(item, buttons) {
    const group = make("div", "answers");
    group.setAttribute("role", "group");
    for (const choice of buttons) {
      if (!choice || typeof choice.title !== "string" || typeof choice.payload !== "string") continue;
      const button = make("button", "answer-button", choice.title);
      button.type = "button";
      button.addEventListener("click", () => {
        if (state.busy) return;
        send(choice.payload);
      });
      group.appendChild(button);
    }
    item.appendChild(group);
  }

  function addMessage(sender, text, sources, buttons) {
    const item = make("li", "message message-" + sender);
    item.appendChild(make("span", "visually-hidden", (sender === "patient" ? TEXT.you : TEXT.bot) + ": "));
    // An answer ends with its "Bron: ..." line (one per leaflet, each its own message): shown once,
    // on its own line under the text, not again from the response's `sources`.
    const lines = String(text).split("\n");
    const sourceLines = sender === "bot" ? lines.filter((line) => line.startsWith(TEXT.sourcePrefix)) : [];
    item.appendChild(make("p", "message-text", lines.filter((line) => !sourceLines.includes(line)).join("\n")));
    for (const line of sourceLines) item.appendChild(make("p", "source", line));
    if (Array.isArray(buttons) && buttons.length) addButtons(item, buttons);
    if (sources && sources.length && !sourceLines.length) {
      const list = make("ul", "sources");
      for (const source of sources) {
        list.appendChild(make("li", "source", TEXT.source + " " + String(source.leaflet).replace(/-/g, " ") + ", " + source.section));
      }
      item.appendChild(list);
    }
    const messages = el("messages");
    messages.appendChild(item);
    messages.scrollTop = messages.scrollHeight;
  }

  // Shown at the first escalation and never hidden again: an escalation is never taken back.
  // A later escalation may name a more specific contact (the treatment became known): show that one.
  function showEscalation(escalation) {
    const contact = escalation.contact || {};
    const panel = el("escalation");
    const children = [make("h2", "escalation-title", TEXT.escalationTitle)];
    if (contact.name) children.push(make("p", "escalation-name", contact.name));
    // The international form dials from either country (the Belgian clinic from a Dutch phone).
    const digits = String(contact.tel || contact.phone || "").replace(/[^0-9+]/g, "");
    if (digits) {
      const line = make("p", "escalation-call", TEXT.call + " ");
      const link = make("a", "escalation-phone", contact.phone);
      link.href = "tel:" + digits;
      line.appendChild(link);
      children.push(line);
    }
    if (contact.hours) children.push(make("p", "escalation-hours", contact.hours));
    const emergency = make("p", "escalation-emergency", TEXT.emergency + " ");
    const emergencyLink = make("a", "escalation-112", "112");
    emergencyLink.href = "tel:112";
    emergency.appendChild(emergencyLink);
    children.push(emergency);
    panel.replaceChildren(...children);
    panel.hidden = false;
  }

  // One chat-contract body (also of a message stored but not answered, with its `notice`).
  // patientText is shown only when the message was answered.
  function showResult(body, patientText) {
    if (typeof body.conversation_id === "string" && CONVERSATION_ID.test(body.conversation_id)) {
      state.conversationId = body.conversation_id;
    }
    if (patientText) {
      retireButtons();
      addMessage("patient", patientText);
    }
    const replies = Array.isArray(body.replies) ? body.replies : [];
    replies.forEach((reply, i) => addMessage("bot", reply.text, i === replies.length - 1 ? body.sources : null, reply.buttons));
    if (body.escalation) showEscalation(body.escalation);
  }

  async function request(path, options) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      const response = await fetch(new URL(path, API), {
        ...options,
        headers: { ...(options.headers || {}), Authorization: "Bearer " + state.token, Accept: "application/json" },
        credentials: "omit",
        cache: "no-store",
        referrerPolicy: "no-referrer",
        signal: controller.signal,
      });
      let body = null;
      try {
        body = await response.json();
      } catch (_) {
        body = null; // e.g. a proxy's HTML error page
      }
      return { status: response.status, ok: response.ok, body, retryAfter: response.headers.get("Retry-After") };
    } finally {
      clearTimeout(timer);
    }
  }

  // The Dutch message for a failed request; null when the caller has shown the result itself.
  function errorText(result) {
    if (result.status === 401 || result.status === 403) return TEXT.sessionExpired;
    if (result.status === 404) {
      state.conversationId = null;
      return TEXT.notFound;
    }
    if (result.status === 429) {
      const seconds = parseInt(result.retryAfter || "", 10);
      return seconds > 0 ? TEXT.tooManyWait.replace("{seconds}", String(seconds)) : TEXT.tooMany;
    }
    if (result.status === 422) return TEXT.invalid;
    return TEXT.unavailable;
  }

  async function send(text) {
    const body = { text };
    if (state.conversationId) body.conversation_id = state.conversationId;
    if (state.procedure) body.procedure = state.procedure;
    state.busy = true;
    el("send").disabled = true;
    setStatus(TEXT.waiting, false);
    try {
      const result = await request("chat", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      if (result.ok && result.body && result.body.notice) {
        // Stored and triaged but not answered (too long, too many messages): the replies say why and
        // any escalation shows; the typed text stays in the input.
        showResult(result.body, null);
        setStatus("");
      } else if (result.ok && result.body) {
        const typed = el("input").value.trim() === text;
        showResult(result.body, text);
        if (typed) el("input").value = ""; // a clicked answer leaves what the patient was typing
        setStatus("");
      } else {
        setStatus(errorText(result), true); // the typed text stays in the input
      }
    } catch (_) {
      setStatus(TEXT.unavailable, true); // network error or timeout; the typed text stays
    } finally {
      state.busy = false;
      el("send").disabled = false;
      el("input").focus();
    }
  }

  async function loadConversation(conversationId) {
    try {
      const result = await request("conversations/" + encodeURIComponent(conversationId), { method: "GET" });
      if (!result.ok || !result.body) {
        setStatus(errorText(result), true);
        return;
      }
      state.conversationId = conversationId;
      const messages = result.body.messages || [];
      messages.forEach((message, i) => {
        // Only the last message's question can still be answered.
        const buttons = i === messages.length - 1 ? message.buttons : null;
        addMessage(message.sender === "patient" ? "patient" : "bot", message.text, message.sources, buttons);
        if (message.escalation) showEscalation(message.escalation);
      });
    } catch (_) {
      setStatus(TEXT.unavailable, true);
    }
  }

  function readFragment() {
    const params = new URLSearchParams(window.location.hash.slice(1));
    const procedure = params.get("procedure");
    const conversation = params.get("conversation");
    state.token = params.get("token");
    state.procedure = PROCEDURES.includes(procedure) ? procedure : null;
    // Keep the token out of the address bar, history and anything that copies the URL.
    if (window.location.hash) history.replaceState(null, "", window.location.pathname + window.location.search);
    return conversation && CONVERSATION_ID.test(conversation) ? conversation : null;
  }

  function start() {
    document.title = TEXT.title;
    el("title").textContent = TEXT.title;
    el("input-label").textContent = TEXT.inputLabel;
    el("input").placeholder = TEXT.placeholder;
    el("send").textContent = TEXT.send;

    const conversation = readFragment();
    const form = el("composer");
    if (!state.token) {
      setStatus(TEXT.noToken, true);
      el("input").disabled = true;
      el("send").disabled = true;
      return;
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (state.busy) return;
      const text = el("input").value.trim();
      if (!text) {
        setStatus(TEXT.empty, true);
        return;
      }
      send(text);
    });
    // Enter sends; Shift+Enter starts a new line.
    el("input").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    if (conversation) loadConversation(conversation);
    el("input").focus();
  }

  start();
})();
