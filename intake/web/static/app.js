/* intake front desk: drag-and-drop upload with progress, and polling for the verdict.
   Without this script the pages still work: the form posts, the progress page refreshes itself. */
"use strict";

const MB = 1024 * 1024;
const ACCEPTED = /^(image\/|application\/pdf$)/;

function setupUpload(form) {
  const chosen = [];
  const list = document.getElementById("chosen");
  const drop = document.getElementById("drop");
  const errorBox = document.getElementById("upload-error");
  const progress = document.getElementById("upload-progress");
  const submit = document.getElementById("submit");
  const maxFile = Number(form.dataset.maxFileMb) * MB;
  const maxAll = Number(form.dataset.maxApplicationMb) * MB;

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = !text;
    if (text) errorBox.scrollIntoView({ block: "nearest" });
  }

  function render() {
    list.replaceChildren();
    chosen.forEach((file, index) => {
      const item = document.createElement("li");
      if (file.size > maxFile) item.className = "bad";
      if (file.type.startsWith("image/")) {
        const img = document.createElement("img");
        img.src = URL.createObjectURL(file);
        img.alt = "";
        img.onload = () => URL.revokeObjectURL(img.src);
        item.append(img);
      } else {
        const box = document.createElement("div");
        box.className = "pdf";
        box.textContent = file.type === "application/pdf" ? "PDF" : "?";
        item.append(box);
      }
      item.append(`${file.name} · ${(file.size / MB).toFixed(1)} MB`);
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "remove";
      remove.textContent = "×";
      remove.title = "移除 / remove";
      remove.addEventListener("click", () => { chosen.splice(index, 1); render(); });
      item.append(remove);
      list.append(item);
    });
    submit.disabled = chosen.length === 0;
  }

  function add(files) {
    showError("");
    for (const file of files) {
      // The server checks content; this only catches the obvious before a slow upload.
      if (file.type && !ACCEPTED.test(file.type)) {
        showError(`不支持的文件：${file.name}（只接受图片或 PDF） / unsupported file: ${file.name} (images or PDF only)`);
        continue;
      }
      if (file.size > maxFile) {
        showError(`文件过大：${file.name}（上限 ${maxFile / MB} MB） / too large: ${file.name} (limit ${maxFile / MB} MB)`);
      }
      chosen.push(file);
    }
    render();
  }

  for (const input of form.querySelectorAll("input[type=file]")) {
    input.addEventListener("change", () => { add(input.files); input.value = ""; });
  }
  for (const name of ["dragenter", "dragover"]) {
    drop.addEventListener(name, (e) => { e.preventDefault(); drop.classList.add("over"); });
  }
  for (const name of ["dragleave", "drop"]) {
    drop.addEventListener(name, (e) => { e.preventDefault(); drop.classList.remove("over"); });
  }
  drop.addEventListener("drop", (e) => add(e.dataTransfer.files));
  // A file dropped beside the zone must not make the browser navigate away from the form.
  window.addEventListener("dragover", (e) => e.preventDefault());
  window.addEventListener("drop", (e) => e.preventDefault());

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (chosen.length === 0) { showError("请选择至少一个文件 / choose at least one file"); return; }
    const total = chosen.reduce((sum, f) => sum + f.size, 0);
    if (total > maxAll) { showError(`文件总大小超过 ${maxAll / MB} MB / more than ${maxAll / MB} MB in all`); return; }
    const data = new FormData();
    data.append("region", form.elements.region.value);
    data.append("as_of", form.elements.as_of.value);
    for (const file of chosen) data.append("files", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/applications");
    xhr.setRequestHeader("X-CSRF-Token", form.elements.csrf_token.value);
    xhr.setRequestHeader("X-Requested-With", "fetch");
    const bar = progress.querySelector(".bar");
    const text = progress.querySelector(".progress-text");
    progress.hidden = false;
    submit.disabled = true;
    showError("");
    xhr.upload.addEventListener("progress", (ev) => {
      if (!ev.lengthComputable) return;
      const pct = Math.round((100 * ev.loaded) / ev.total);
      bar.style.width = pct + "%";
      text.textContent = pct < 100 ? `上传中 / uploading ${pct}%` : "保存中 / saving…";
    });
    xhr.addEventListener("load", () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (_) { /* not JSON: use the status */ }
      if (xhr.status === 201 && body.id) { window.location.href = `/applications/${body.id}`; return; }
      if (xhr.status === 401) { window.location.href = "/login?next=/applications/new"; return; }
      progress.hidden = true;
      submit.disabled = false;
      showError(body.detail || `上传失败 / upload failed (HTTP ${xhr.status})`);
    });
    xhr.addEventListener("error", () => {
      progress.hidden = true;
      submit.disabled = false;
      showError("网络错误，请重试 / network error; try again");
    });
    xhr.send(data);
  });
  render();
}

function setupProgress(box) {
  const id = box.dataset.id;
  const stateText = document.getElementById("state-text");
  const extra = document.getElementById("state-extra");
  if (!stateText) return;
  const started = Date.now();
  const labels = { queued: "排队中 / queued", running: "识别中 / reading", done: "已完成 / done", failed: "处理失败 / failed" };
  async function poll() {
    try {
      const response = await fetch(`/api/applications/${id}`, { headers: { "X-Requested-With": "fetch" } });
      if (response.status === 401) { window.location.href = `/login?next=/applications/${id}`; return; }
      const body = await response.json();
      if (body.state === "done" || body.state === "failed") { window.location.reload(); return; }
      stateText.textContent = labels[body.state] || body.state;
      const seconds = Math.round((Date.now() - started) / 1000);
      extra.textContent = body.state === "queued" && body.position
        ? `前面还有 ${body.position} 份 / ${body.position} ahead`
        : `${seconds} 秒 / s`;
    } catch (_) {
      extra.textContent = "连接中断，重试中 / connection lost, retrying";
    }
    setTimeout(poll, 1500);
  }
  poll();
}

// A document whose file cannot be rendered has no preview: say so instead of a broken image.
document.addEventListener("error", (e) => {
  const img = e.target;
  if (!(img instanceof HTMLImageElement) || !img.closest(".thumb")) return;
  const note = document.createElement("span");
  note.className = "no-preview";
  note.textContent = "无法预览 / no preview";
  img.replaceWith(note);
}, true);

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("upload-form");
  if (form) setupUpload(form);
  const box = document.getElementById("progress");
  if (box && (box.dataset.state === "queued" || box.dataset.state === "running")) setupProgress(box);
});
