// Picking units by typing part of a name without diacritics ("xay dung" finds "Sở Xây dựng"):
// an ARIA combobox over a list of options, usable with the keyboard alone. One unit (the lead)
// or several (the coordinating units, shown as removable chips).
import { h, plain } from "./core.js";

let pickers = 0;

// options: [{value, label, hint}]; chosen: values; multiple: several or one.
// Returns {element, input, values(), set(values), onchange}.
export function unitPicker({ name, label, options, chosen = [], multiple = false, required = false }) {
  const id = `picker${++pickers}`;
  const listId = `${id}-list`;
  let values = chosen.filter((v) => options.some((o) => o.value === v));
  let active = -1;
  let shown = [];

  const input = h("input", {
    id, name, role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
    "aria-controls": listId, autocomplete: "off", spellcheck: "false", required,
    placeholder: multiple ? "Gõ tên đơn vị để thêm" : "Gõ tên hoặc mã đơn vị",
  });
  const list = h("ul", { id: listId, role: "listbox", class: "options", hidden: true, "aria-label": label });
  const chips = h("ul", { class: "chips", "aria-label": `${label} đã chọn` });
  const picker = {
    input,
    element: h("div", { class: "picker" }, h("label", { for: id }, label), multiple ? chips : null,
      h("div", { class: "combo" }, input, list)),
    values: () => [...values],
    set(next) { values = [...next]; draw(); },
    onchange: () => {},
  };
  const labelOf = (v) => options.find((o) => o.value === v)?.label ?? "";

  function draw() {
    if (multiple) {
      chips.replaceChildren(...values.map((v) => h("li", {},
        h("span", {}, labelOf(v)),
        h("button", { type: "button", class: "chip-remove", "aria-label": `Bỏ ${labelOf(v)}`, onclick: () => remove(v) }, "×"))));
    } else if (document.activeElement !== input || !input.value) {
      input.value = values.length ? labelOf(values[0]) : "";
    }
  }
  function remove(v) {
    values = values.filter((x) => x !== v);
    draw();
    picker.onchange();
    input.focus();
  }
  function open() {
    const words = plain(input.value).split(/\s+/).filter(Boolean);
    const typedLabel = !multiple && values.length && input.value === labelOf(values[0]);
    shown = options.filter((o) => {
      if (multiple && values.includes(o.value)) return false;
      const text = plain(`${o.label} ${o.hint || ""}`);
      return typedLabel || words.every((w) => text.includes(w));
    }).slice(0, 50);
    active = shown.length ? 0 : -1;
    list.replaceChildren(...(shown.length
      ? shown.map((o, i) => h("li", {
        id: `${id}-o${i}`, role: "option", "aria-selected": i === active ? "true" : "false",
        onmousedown: (e) => { e.preventDefault(); pick(o); },
      }, o.label, o.hint ? h("span", { class: "hint" }, ` ${o.hint}`) : null))
      : [h("li", { class: "none", role: "option", "aria-disabled": "true", "aria-selected": "false" }, "Không có đơn vị nào khớp")]));
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    mark();
  }
  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }
  function mark() {
    [...list.children].forEach((li, i) => li.setAttribute("aria-selected", i === active ? "true" : "false"));
    if (active >= 0) {
      input.setAttribute("aria-activedescendant", `${id}-o${active}`);
      list.children[active]?.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  function pick(o) {
    if (multiple) {
      values.push(o.value);
      input.value = "";
    } else {
      values = [o.value];
      input.value = o.label;
    }
    close();
    draw();
    picker.onchange();
  }

  input.addEventListener("input", () => {
    if (!multiple && values.length) {
      values = [];
      picker.onchange();
    }
    open();
  });
  input.addEventListener("focus", () => { if (multiple || !values.length) open(); });
  input.addEventListener("blur", () => {
    close();
    if (!multiple && !values.length) {
      // A name typed in full is as good as picked.
      const exact = options.filter((o) => plain(o.label) === plain(input.value.trim()) || plain(o.hint || "") === plain(input.value.trim()));
      if (exact.length === 1) pick(exact[0]);
    }
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (list.hidden) return open();
      if (!shown.length) return;
      active = (active + (e.key === "ArrowDown" ? 1 : shown.length - 1)) % shown.length;
      mark();
    } else if (e.key === "Enter" && !list.hidden && active >= 0) {
      e.preventDefault();
      pick(shown[active]);
    } else if (e.key === "Escape" && !list.hidden) {
      e.preventDefault();
      close();
    } else if (e.key === "Backspace" && multiple && !input.value && values.length) {
      remove(values[values.length - 1]);
    }
  });
  draw();
  return picker;
}

export function unitOptions(units) {
  return units.map((u) => ({ value: u.id, label: u.name, hint: u.code }));
}
