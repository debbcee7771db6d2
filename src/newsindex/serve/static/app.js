// newsindex page behaviour: copy a citation, bring the marked passage into view.
"use strict";

function announce(text) {
  const status = document.getElementById("status");
  if (!status) return;
  status.textContent = text;
  window.setTimeout(() => { if (status.textContent === text) status.textContent = ""; }, 4000);
}

// Older browsers, or pages not served from a secure origin, have no async clipboard.
function copyWithSelection(text) {
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  let copied = false;
  try { copied = document.execCommand("copy"); } catch (err) { copied = false; }
  area.remove();
  return copied;
}

// Last resort: show the citation, selected, for the reader to copy by hand.
function showForManualCopy(button, text) {
  let area = button.parentElement.querySelector("textarea.citation-fallback");
  if (!area) {
    area = document.createElement("textarea");
    area.className = "citation-fallback";
    area.setAttribute("readonly", "");
    area.setAttribute("aria-label", "Citation");
    button.parentElement.appendChild(area);
  }
  area.value = text;
  area.focus();
  area.select();
  announce("Select the citation and copy it");
}

async function copyCitation(button) {
  const text = button.dataset.citation;
  try {
    if (!navigator.clipboard) throw new Error("no clipboard");
    await navigator.clipboard.writeText(text);
    announce("Citation copied");
  } catch (err) {
    if (copyWithSelection(text)) announce("Citation copied");
    else showForManualCopy(button, text);
  }
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-citation]");
  if (button) copyCitation(button);
});

document.addEventListener("DOMContentLoaded", () => {
  const passage = document.getElementById("passage");
  if (passage) {
    passage.scrollIntoView({ block: "center" });
    passage.focus({ preventScroll: true });
  }
});
