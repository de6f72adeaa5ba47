// Gnosis OCR Hub's page: upload, live progress (SSE read through fetch), the user's sessions, a page viewer.
// Plain modern JavaScript, no build step. Every call sends the user the way the API expects: X-User-Email
// (or Authorization: Bearer KEY in api-key mode), so nothing identifying goes into a URL.

const CHUNKED_ABOVE = 10 * 1024 * 1024;   // gnosis-ocr's page: files above 10 MB go in chunks
const CHUNK_SIZE = 1024 * 1024;           // 1 MB per chunk, sent as base64 JSON
const ACCEPTED = /\.(pdf|png|jpe?g|tiff?)$/i;

const $ = (selector, root = document) => root.querySelector(selector);
const store = {
  get email() { return localStorage.getItem('gnosis.email') || ''; },
  set email(v) { localStorage.setItem('gnosis.email', v); },
  get apiKey() { return localStorage.getItem('gnosis.apiKey') || ''; },
  set apiKey(v) { localStorage.setItem('gnosis.apiKey', v); },
};

// ---- talking to the hub -------------------------------------------------------------------------

function authHeaders(extra = {}) {
  const headers = { ...extra };
  if (store.email.trim()) headers['X-User-Email'] = store.email.trim();
  if (store.apiKey.trim()) headers['Authorization'] = 'Bearer ' + store.apiKey.trim();
  // the hub refuses a browser's simple POST from another site unless it carries this header (CrossSiteGuard)
  headers['X-Gnosis-Client'] = 'page';
  return headers;
}

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `the hub answered HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function errorOf(response) {
  let body = null;
  try { body = await response.json(); } catch { /* not JSON: keep the status */ }
  return new ApiError(response.status, body);
}

async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path, { ...options, headers: authHeaders(options.headers) });
  } catch (e) {
    throw new Error('the hub cannot be reached (' + e.message + ')');
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

const apiJson = async (path, options) => (await api(path, options)).json();

function say(text, kind = 'error') {
  const box = $('#messages');
  const item = document.createElement('p');
  item.className = kind;
  item.textContent = text;
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = '×';
  close.setAttribute('aria-label', 'Dismiss');
  close.onclick = () => item.remove();
  item.append(close);
  box.append(item);
  if (kind !== 'error') setTimeout(() => item.remove(), 4000);
}

const failed = (what) => (e) => say(`${what}: ${e.message}${e.status ? ` (HTTP ${e.status})` : ''}`);

// ---- live progress: Server-Sent Events read with fetch (EventSource cannot send headers) ----------

async function follow(sessionId, onEvent, signal) {
  for (let attempt = 0; attempt < 5 && !signal.aborted; attempt++) {
    const response = await api(`/events/${sessionId}`, { signal, headers: { Accept: 'text/event-stream' } });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let ended = false;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = parseEvent(block);
          if (!event) continue;
          onEvent(event.name, event.data);
          if (event.name === 'completed' || event.name === 'failed') ended = true;
        }
      }
    } catch (e) {
      if (signal.aborted) return;
    }
    if (ended) return;
    // the connection dropped: a new subscriber gets the current state first, so reconnecting is safe
    await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
  }
}

function parseEvent(block) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  return data.length ? { name, data: JSON.parse(data.join('\n')) } : null;
}

// ---- uploads ----------------------------------------------------------------------------------

function humanSize(bytes) {
  if (bytes < 1024) return bytes + ' B';
  if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(0) + ' KB';
  return (bytes / 1024 / 1024).toFixed(1) + ' MB';
}

function setBar(item, which, percent, text) {
  const pct = Math.max(0, Math.min(100, Math.round(percent)));
  const bar = $(`.${which}-bar`, item);
  bar.setAttribute('aria-valuenow', String(pct));
  $('span', bar).style.width = pct + '%';
  $(`.${which}-pct`, item).textContent = pct + '%';
  if (text) $('.state', item).textContent = text;
}

function uploadItem(file) {
  const item = $('#upload-item').content.firstElementChild.cloneNode(true);
  $('.name', item).textContent = file.name;
  $('.size', item).textContent = humanSize(file.size);
  $('.state', item).textContent = 'Starting the upload…';
  $('#uploads').prepend(item);
  return item;
}

function plainUpload(file, item) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append('file', file, file.name);
    const request = new XMLHttpRequest();
    request.open('POST', '/upload');
    for (const [name, value] of Object.entries(authHeaders())) request.setRequestHeader(name, value);
    request.upload.onprogress = (e) => {
      if (e.lengthComputable) setBar(item, 'upload', (e.loaded / e.total) * 100, 'Uploading…');
    };
    request.onerror = () => reject(new Error('the upload was interrupted'));
    request.onload = () => {
      let body = null;
      try { body = JSON.parse(request.responseText); } catch { /* keep null */ }
      if (request.status >= 200 && request.status < 300 && body) resolve(body);
      else reject(new ApiError(request.status, body));
    };
    request.send(form);
  });
}

function base64(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

async function chunkedUpload(file, item) {
  const totalChunks = Math.ceil(file.size / CHUNK_SIZE);
  const started = await apiJson('/upload/start', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ filename: file.name, total_size: file.size, total_chunks: totalChunks }),
  });
  const id = started.session_hash;
  let answer = null;
  for (let n = 0; n < totalChunks; n++) {
    const data = base64(await file.slice(n * CHUNK_SIZE, (n + 1) * CHUNK_SIZE).arrayBuffer());
    answer = await apiJson(`/upload/chunk/${id}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ chunk_number: n, data }),
    });
    setBar(item, 'upload', ((n + 1) / totalChunks) * 100, `Uploading chunk ${n + 1} of ${totalChunks}…`);
  }
  return answer;
}

async function upload(file) {
  const item = uploadItem(file);
  if (!ACCEPTED.test(file.name)) {
    item.classList.add('failed');
    setBar(item, 'upload', 0, 'Not a PDF, PNG, JPEG or TIFF file: not sent.');
    return;
  }
  let session;
  try {
    session = file.size > CHUNKED_ABOVE ? await chunkedUpload(file, item) : await plainUpload(file, item);
  } catch (e) {
    item.classList.add('failed');
    setBar(item, 'upload', 0, `Upload failed: ${e.message}`);
    failed(`Uploading ${file.name}`)(e);
    return;
  }
  const id = session.session_hash;
  item.dataset.session = id;
  setBar(item, 'upload', 100, `Uploaded: ${session.total_pages} page${session.total_pages === 1 ? '' : 's'}, waiting to be read…`);
  loadSessions();
  const stop = new AbortController();
  try {
    await follow(id, (name, data) => onProgress(item, name, data), stop.signal);
  } catch (e) {
    failed(`Following ${file.name}`)(e);
  }
}

function onProgress(item, name, data) {
  if (name === 'progress') showListedStatus(data);
  if (name === 'progress') {
    const text = data.status === 'pending' ? 'Queued…'
      : data.status === 'processing' ? `Reading: ${data.pages_done} of ${data.total_pages} pages`
      : data.message;
    setBar(item, 'process', data.progress, text);
  } else if (name === 'completed') {
    item.classList.add('done');
    setBar(item, 'process', 100, `Completed: ${data.total_pages} page${data.total_pages === 1 ? '' : 's'}`);
    const view = $('.view', item);
    view.hidden = false;
    view.onclick = () => openViewer(data.session_hash);
    loadSessions();
  } else if (name === 'failed') {
    item.classList.add('failed');
    $('.state', item).textContent = data.message;
    say(`${$('.name', item).textContent}: ${data.message}`);
    loadSessions();
  }
}

// ---- the user's sessions ----------------------------------------------------------------------

let userHash = null;

async function loadSessions() {
  let answer;
  try {
    answer = await apiJson('/sessions');
  } catch (e) {
    failed('Listing your documents')(e);
    return;
  }
  userHash = answer.user_hash;
  const list = $('#sessions');
  list.replaceChildren();
  $('#sessions-empty').hidden = answer.sessions.length > 0;
  for (const s of answer.sessions) list.append(sessionItem(s));
}

function sessionItem(s) {
  const li = document.createElement('li');
  li.className = 'session';
  li.dataset.session = s.session_hash;
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = s.filename;
  const meta = document.createElement('span');
  meta.className = 'muted meta';
  meta.textContent = `${s.total_pages} page${s.total_pages === 1 ? '' : 's'} · ${new Date(s.created_at).toLocaleString()}`;
  const status = document.createElement('span');
  status.className = `status status-${s.status}`;
  status.textContent = s.status === 'processing' ? `processing ${s.progress}%` : s.status;
  if (s.status === 'failed' && s.message) status.title = s.message;
  const actions = document.createElement('span');
  actions.className = 'actions';
  actions.append(
    button('View', 'view', () => openViewer(s.session_hash), s.status !== 'completed'),
    button('ZIP', 'zip', () => download(`/download/${s.session_hash}`, `gnosis-ocr-${s.session_hash}.zip`)
      .catch(failed(`Downloading ${s.filename}`))),
    button('Delete', 'delete', () => remove(s)),
  );
  li.append(name, status, meta, actions);
  return li;
}

// keeps the list's status badge in step with the live stream, without reloading the list
function showListedStatus(data) {
  const status = $(`#sessions .session[data-session="${data.session_hash}"] .status`);
  if (!status) return;
  status.className = `status status-${data.status}`;
  status.textContent = data.status === 'processing' ? `processing ${data.progress}%` : data.status;
}

function button(text, className, onclick, disabled = false) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.textContent = text;
  b.disabled = disabled;
  b.onclick = onclick;
  return b;
}

async function remove(s) {
  if (!confirm(`Delete ${s.filename} and all its results?`)) return;
  try {
    await api(`/session/${s.session_hash}`, { method: 'DELETE' });
    say(`Deleted ${s.filename}.`, 'info');
    if (viewer.id === s.session_hash) closeViewer();
    document.querySelectorAll(`.upload[data-session="${s.session_hash}"]`).forEach((el) => el.remove());
  } catch (e) {
    failed(`Deleting ${s.filename}`)(e);
  }
  loadSessions();
}

async function download(path, name) {
  const blob = await (await api(path)).blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---- the viewer -------------------------------------------------------------------------------

const viewer = { id: null, pages: 0, page: 1, imageUrl: null };

async function openViewer(id) {
  try {
    const results = await apiJson(`/results/${id}`);
    if (!userHash) await loadSessions();
    Object.assign(viewer, { id, pages: results.total_pages, page: 1 });
    $('#viewer-title').textContent = results.filename;
    $('#viewer').hidden = false;
    await showPage(1);
    $('#viewer').scrollIntoView({ behavior: 'smooth', block: 'start' });
  } catch (e) {
    failed('Opening the viewer')(e);
  }
}

function closeViewer() {
  $('#viewer').hidden = true;
  viewer.id = null;
  if (viewer.imageUrl) URL.revokeObjectURL(viewer.imageUrl);
  viewer.imageUrl = null;
}

async function showPage(n) {
  const id = viewer.id;
  const file = `page_${String(n).padStart(3, '0')}.json`;
  const [image, lines] = await Promise.all([
    api(`/images/${id}/${n}`).then((r) => r.blob()),
    apiJson(`/storage/${userHash}/${id}/${file}`),
  ]);
  if (viewer.id !== id) return;
  viewer.page = n;
  if (viewer.imageUrl) URL.revokeObjectURL(viewer.imageUrl);
  viewer.imageUrl = URL.createObjectURL(image);
  const img = $('#page-image');
  img.src = viewer.imageUrl;
  img.alt = `Page ${n} of ${$('#viewer-title').textContent}`;
  $('#page-label').textContent = `Page ${n} of ${viewer.pages}`;
  $('#page-prev').disabled = n <= 1;
  $('#page-next').disabled = n >= viewer.pages;
  const source = lines.source === 'text-layer' ? 'PDF text layer' : 'OCR';
  $('#page-caption').textContent =
    `${lines.lines.length} lines · ${source} · confidence ${(lines.confidence * 100).toFixed(0)}%`;
  drawLines(lines);
}

const SVG = 'http://www.w3.org/2000/svg';

function drawLines(page) {
  const svg = $('#page-boxes');
  svg.setAttribute('viewBox', `0 0 ${page.width} ${page.height}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.replaceChildren();
  const list = $('#page-lines');
  list.replaceChildren();
  if (!page.lines.length) {
    const empty = document.createElement('li');
    empty.className = 'muted';
    empty.textContent = 'No text was found on this page.';
    list.append(empty);
  }
  page.lines.forEach((line, i) => {
    const box = document.createElementNS(SVG, 'polygon');
    box.setAttribute('points', line.polygon.map((p) => p.join(',')).join(' '));
    box.setAttribute('class', 'box');
    box.dataset.line = String(i);
    const title = document.createElementNS(SVG, 'title');
    title.textContent = line.text;
    box.append(title);
    svg.append(box);

    const item = document.createElement('li');
    item.className = 'line';
    item.dataset.line = String(i);
    item.tabIndex = 0;
    item.textContent = line.text;
    if (line.confidence < 0.8) item.classList.add('unsure');
    list.append(item);

    const on = () => highlight(i, true);
    const off = () => highlight(i, false);
    for (const el of [box, item]) {
      el.addEventListener('mouseenter', on);
      el.addEventListener('mouseleave', off);
    }
    item.addEventListener('focus', on);
    item.addEventListener('blur', off);
    box.addEventListener('click', () => item.scrollIntoView({ block: 'nearest', behavior: 'smooth' }));
  });
}

function highlight(i, on) {
  document.querySelectorAll(`[data-line="${i}"]`).forEach((el) => el.classList.toggle('active', on));
  if (on) $(`#page-lines .line[data-line="${i}"]`).scrollIntoView({ block: 'nearest' });
}

async function combinedMarkdown() {
  return (await api(`/results/${viewer.id}/combined.md`)).text();
}

async function copyMarkdown() {
  try {
    const text = await combinedMarkdown();
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
    } else {
      // plain-HTTP hubs: the Clipboard API needs a secure context
      const area = document.createElement('textarea');
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    say('The markdown is on the clipboard.', 'info');
  } catch (e) {
    failed('Copying the markdown')(e);
  }
}

// ---- start ------------------------------------------------------------------------------------

function wire() {
  const email = $('#email');
  const key = $('#api-key');
  email.value = store.email;
  key.value = store.apiKey;
  email.addEventListener('change', () => { store.email = email.value.trim(); loadSessions(); });
  key.addEventListener('change', () => { store.apiKey = key.value.trim(); loadSessions(); });
  $('#identity').addEventListener('submit', (e) => e.preventDefault());

  const input = $('#file-input');
  input.addEventListener('change', () => {
    [...input.files].forEach(upload);
    input.value = '';
  });
  const zone = $('#drop-zone');
  for (const type of ['dragenter', 'dragover']) {
    zone.addEventListener(type, (e) => { e.preventDefault(); zone.classList.add('over'); });
  }
  for (const type of ['dragleave', 'drop']) {
    zone.addEventListener(type, () => zone.classList.remove('over'));
  }
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    [...e.dataTransfer.files].forEach(upload);
  });

  $('#refresh').onclick = loadSessions;
  $('#viewer-close').onclick = closeViewer;
  $('#page-prev').onclick = () => showPage(viewer.page - 1).catch(failed('Showing the page'));
  $('#page-next').onclick = () => showPage(viewer.page + 1).catch(failed('Showing the page'));
  $('#copy-md').onclick = copyMarkdown;
  $('#download-md').onclick = () =>
    download(`/results/${viewer.id}/combined.md`, `${$('#viewer-title').textContent.replace(/\.[^.]+$/, '')}.md`)
      .catch(failed('Downloading the markdown'));
  // the searchable PDF, hOCR and ALTO are made on the first request (a long document takes a moment)
  const base = () => $('#viewer-title').textContent.replace(/\.[^.]+$/, '');
  for (const [id, path, ending, label] of [['pdf', 'document.pdf', '.ocr.pdf', 'the searchable PDF'],
    ['hocr', 'hocr', '.hocr', 'the hOCR'], ['alto', 'alto', '.alto.xml', 'the ALTO']]) {
    $(`#download-${id}`).onclick = () =>
      download(`/results/${viewer.id}/${path}`, `${base()}${ending}`).catch(failed(`Downloading ${label}`));
  }
  loadSessions();
}

wire();
