// The figures of the period report, as the dashboard, a unit's page and the reports page show
// them: the period chosen (kept in the address), the table of the meeting report, and a bar per
// unit drawn as SVG. The numbers are the API's own (GET /api/v1/reports/summary), never recounted.
import { h, field, dateInput, parseDate, today, markField, clearFieldErrors, numbers, percent, go, date, BAD_DATE } from "./core.js";

// The period in the address, or from 1 January to today, as the monthly meeting counts it.
export function period(params) {
  const to = params.get("to") || today();
  const from = params.get("from") || `${to.slice(0, 4)}-01-01`;
  const asOf = params.get("as_of") || "";
  // As things were (the default), or the register as it stood that day.
  const basis = params.get("basis") === "recorded" ? "recorded" : "";
  return { from, to, asOf, basis };
}
export function periodQuery({ from, to, asOf, basis }) {
  const q = new URLSearchParams({ from, to });
  if (asOf) q.set("as_of", asOf);
  if (basis) q.set("basis", basis);
  return q;
}

// "Từ ngày … đến ngày … (tính đến ngày …)": a form that moves to the same page with the period.
export function periodForm(path, chosen) {
  const form = h("form", { class: "filters", novalidate: true, "aria-label": "Kỳ báo cáo" },
    field("Từ ngày", dateInput("from", chosen.from)),
    field("Đến ngày", dateInput("to", chosen.to)),
    field("Số liệu tính đến ngày", dateInput("as_of", chosen.asOf), "Để trống: hôm nay."),
    field("Cách tính", h("select", { name: "basis" },
      h("option", { value: "", selected: !chosen.basis }, "Theo thực tế"),
      h("option", { value: "recorded", selected: chosen.basis === "recorded" }, "Theo sổ ngày đó")),
    "Theo thực tế: việc nhập bổ sung sau được tính vào ngày xảy ra. Theo sổ: đúng như sổ theo dõi ngày đó."),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Xem")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearFieldErrors(form);
    const next = {};
    let ok = true;
    for (const name of ["from", "to", "as_of"]) {
      const input = form.querySelector(`[name=${name}]`);
      const text = input.value.trim();
      if (!text && name === "as_of") continue;
      const iso = parseDate(text);
      if (!iso) {
        markField(input, BAD_DATE);
        ok = false;
      } else {
        next[name] = iso;
      }
    }
    if (ok && next.from > next.to) {
      markField(form.querySelector("[name=to]"), "Ngày kết thúc phải sau ngày bắt đầu.");
      ok = false;
    }
    // The scope chosen elsewhere on the page ("my tasks", a leader in charge) stays.
    const q = periodQuery({ from: next.from, to: next.to, asOf: next.as_of, basis: form.querySelector("[name=basis]").value });
    const here = new URLSearchParams(location.search);
    for (const kept of ["mine", "leader_id"]) if (here.get(kept)) q.set(kept, here.get(kept));
    if (ok) go(`${path}?${q}`);
  });
  // Folded away: the figures come first, on a phone above all.
  return h("details", { class: "action period" }, h("summary", {}, "Chọn kỳ báo cáo khác"), form);
}

export function periodWords({ from, to, asOf, basis }) {
  return `Kỳ từ ${date(from)} đến ${date(to)}, số liệu tính đến ${date(asOf || today())}` +
    (basis === "recorded" ? " theo sổ theo dõi tại ngày đó" : "");
}

const COLUMNS = [
  ["total", "Tổng số"], ["done_on_time", "Hoàn thành đúng hạn"], ["done_late", "Hoàn thành quá hạn"],
  ["open_on_time", "Đang thực hiện trong hạn"], ["open_overdue", "Đang thực hiện quá hạn"],
  ["suspended", "Tạm dừng"], ["cancelled", "Đã hủy"],
];
const rate = (r) => (r === null || r === undefined ? "—" : percent.format(r));

// The meeting report's table: carried over, new, and both together.
export function summaryTable(summary, caption) {
  const rows = [["carried_over", "Kỳ trước chuyển sang"], ["new", "Giao mới trong kỳ"], ["total", "Tổng cộng"]];
  // The key tasks among them, as a line of their own (the API gives carried over and new too).
  if (summary.key_tasks) summary = { ...summary, key: summary.key_tasks.total };
  if (summary.key) rows.push(["key", "Trong đó: nhiệm vụ trọng tâm"]);
  return h("table", { class: "cards figures" },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Nhiệm vụ"), COLUMNS.map(([, t]) => h("th", { scope: "col", class: "num" }, t)),
      h("th", { scope: "col", class: "num" }, "Tỷ lệ đúng hạn"))),
    h("tbody", {}, rows.map(([key, label]) => h("tr", { class: key === "total" ? "sum" : null },
      h("th", { scope: "row" }, label),
      COLUMNS.map(([k, t]) => h("td", { class: "num", "data-label": t }, numbers.format(summary[key][k]))),
      h("td", { class: "num", "data-label": "Tỷ lệ đúng hạn" }, rate(summary[key].on_time_rate))))));
}

// A few figures in large type, for a phone held in one hand.
export function headline(total) {
  const open = total.open_on_time + total.open_overdue;
  const tiles = [
    ["Tổng số nhiệm vụ", total.total, ""],
    ["Đã hoàn thành", total.done_on_time + total.done_late, `${numbers.format(total.done_late)} quá hạn`],
    ["Đang thực hiện", open, `${numbers.format(total.open_overdue)} quá hạn`],
    ["Tỷ lệ hoàn thành đúng hạn", null, ""],
  ];
  return h("ul", { class: "tiles" }, tiles.map(([label, n, sub]) => h("li", {},
    h("span", { class: "tile-label" }, label),
    h("strong", {}, n === null ? rate(total.on_time_rate) : numbers.format(n)),
    sub ? h("span", { class: "tile-sub" }, sub) : null)));
}

// The colours of the four parts of a unit's bar, with their names for the legend.
const PARTS = [
  ["done_on_time", "Hoàn thành đúng hạn", "#1d6b2f"], ["done_late", "Hoàn thành quá hạn", "#e08a00"],
  ["open_on_time", "Đang thực hiện trong hạn", "#0b4f9c"], ["open_overdue", "Đang thực hiện quá hạn", "#b00020"],
];
const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

// One stacked bar per lead unit (all its tasks of the period), the longest first, each the same
// scale, with the numbers written beside it: the chart reads the same on a phone and a desk.
export function unitChart(rows) {
  const sorted = [...rows].filter((r) => r.total.total > 0).sort((a, b) => b.total.total - a.total.total);
  const most = Math.max(1, ...sorted.map((r) => r.total.total));
  const legend = h("ul", { class: "legend" }, PARTS.map(([, name, colour]) =>
    h("li", {}, h("span", { class: "swatch", style: null, "data-colour": colour }), name)));
  // The swatches take their colour from SVG too, so that no inline style is needed (CSP).
  for (const sw of legend.querySelectorAll(".swatch")) {
    sw.append(svg("svg", { width: 14, height: 14, viewBox: "0 0 14 14", "aria-hidden": "true" },
      svg("rect", { width: 14, height: 14, fill: sw.dataset.colour })));
  }
  const list = h("ol", { class: "bars" }, sorted.map((r) => {
    const t = r.total;
    let x = 0;
    const words = PARTS.map(([k, name]) => `${name}: ${numbers.format(t[k])}`).join(", ");
    const bar = svg("svg", {
      viewBox: "0 0 1000 24", preserveAspectRatio: "none", role: "img", class: "bar",
      "aria-label": `${r.unit}: ${numbers.format(t.total)} nhiệm vụ. ${words}`,
    }, ...PARTS.filter(([k]) => t[k] > 0).map(([k, , colour]) => {
      const w = (t[k] / most) * 1000;
      const rect = svg("rect", { x, y: 0, width: w, height: 24, fill: colour });
      x += w;
      return rect;
    }));
    return h("li", {},
      h("div", { class: "bar-head" }, h("span", { class: "bar-unit" }, r.unit),
        h("span", { class: "bar-numbers" }, `${numbers.format(t.total)} nhiệm vụ · ${numbers.format(t.open_overdue)} đang quá hạn`)),
      bar);
  }));
  return h("figure", { class: "chart" },
    h("figcaption", {}, "Nhiệm vụ theo đơn vị chủ trì (độ dài thanh: tổng số nhiệm vụ)"), legend,
    sorted.length ? list : h("p", {}, "Chưa có nhiệm vụ nào trong kỳ."));
}

// The per-unit table under the chart: the same numbers the bars are drawn from.
export function unitTable(rows) {
  const sorted = [...rows].sort((a, b) => b.total.open_overdue - a.total.open_overdue || b.total.total - a.total.total);
  return h("table", { class: "cards figures" },
    h("caption", {}, "Số liệu theo đơn vị chủ trì"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Đơn vị"), COLUMNS.slice(0, 5).map(([, t]) => h("th", { scope: "col", class: "num" }, t)),
      h("th", { scope: "col", class: "num" }, "Tỷ lệ đúng hạn"))),
    h("tbody", {}, sorted.map((r) => h("tr", {},
      h("th", { scope: "row" }, r.unit),
      COLUMNS.slice(0, 5).map(([k, t]) => h("td", { class: "num", "data-label": t }, numbers.format(r.total[k]))),
      h("td", { class: "num", "data-label": "Tỷ lệ đúng hạn" }, rate(r.total.on_time_rate))))));
}

// The units' yearly scorecard (GET /api/v1/reports/scorecard), best rate first, as the API ranks
// them: for the year-end evaluation of units.
export function scorecardTable(card) {
  const cols = [["due", "Đến hạn trong năm"], ["done_on_time", "Hoàn thành đúng hạn"], ["done_late", "Hoàn thành quá hạn"], ["overdue", "Quá hạn"]];
  return h("table", { class: "cards figures scorecard" },
    h("caption", {}, `Xếp hạng đơn vị năm ${card.year}, số liệu đến ngày ${date(card.as_of)}`),
    // The unit first: on a phone each row is a card titled by its unit.
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Đơn vị"), h("th", { scope: "col", class: "num" }, "Hạng"),
      cols.map(([, t]) => h("th", { scope: "col", class: "num" }, t)),
      h("th", { scope: "col", class: "num" }, "Gia hạn (đồng ý/đề nghị)"),
      h("th", { scope: "col", class: "num" }, "Tỷ lệ đúng hạn"))),
    h("tbody", {}, card.units.length === 0
      ? h("tr", {}, h("td", { colspan: 8 }, "Chưa có nhiệm vụ nào đến hạn trong năm."))
      : card.units.map((u) => h("tr", {},
        h("th", { scope: "row" }, u.unit),
        h("td", { class: "num", "data-label": "Hạng" }, u.rank === null ? "—" : numbers.format(u.rank)),
        cols.map(([k, t]) => h("td", { class: "num", "data-label": t }, numbers.format(u[k]))),
        h("td", { class: "num", "data-label": "Gia hạn (đồng ý/đề nghị)" },
          `${numbers.format(u.extensions_approved)}/${numbers.format(u.extensions_requested)}`),
        h("td", { class: "num", "data-label": "Tỷ lệ đúng hạn" }, rate(u.on_time_rate))))));
}

export function extensionFigures(ext) {
  const parts = [["requested", "Đề nghị"], ["approved", "Đồng ý"], ["rejected", "Không đồng ý"], ["withdrawn", "Đã rút"], ["closed", "Tự đóng"], ["pending", "Chờ quyết định"], ["late", "Gửi muộn"]];
  return h("p", { class: "ext-figures" }, "Đề nghị gia hạn trong kỳ: ",
    parts.map(([k, t], i) => `${i ? " · " : ""}${t} ${numbers.format(ext[k] ?? 0)}`).join(""));
}
