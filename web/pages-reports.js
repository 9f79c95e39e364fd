// The reports the Office reads at the monthly meeting: the period's figures on screen, and the
// files the API makes (CSV for Excel, an XLSX workbook, a page to print), for any period and as
// of any past date.
import { h, show, api, date, numbers, field, go, session, loadLeaders, leaderName, today } from "./core.js";
import { period, periodQuery, periodForm, periodWords, summaryTable, unitTable, extensionFigures, scorecardTable } from "./figures.js";

export async function reportsPage() {
  const params = new URLSearchParams(location.search);
  const chosen = period(params);
  const q = periodQuery(chosen);
  // The tasks of one leader in charge, or all of them (a unit's reports are its own anyway).
  const leader = /^\d+$/.test(params.get("leader_id") || "") ? params.get("leader_id") : "";
  if (leader) q.set("leader_id", leader);
  // The scorecard of the year the period ends in (this year at the latest), as of the period's
  // date when it is in that year.
  const year = String(Math.min(Number(chosen.to.slice(0, 4)), Number(today().slice(0, 4))));
  const cardQuery = { year, ...(chosen.asOf && chosen.asOf.startsWith(year) ? { as_of: chosen.asOf } : {}), ...(chosen.basis ? { basis: chosen.basis } : {}) };
  const [summary, overdue, leaders, card] = await Promise.all([
    api("GET", `/api/v1/reports/summary?${q}`),
    api("GET", `/api/v1/reports/overdue?limit=1${chosen.asOf ? `&as_of=${chosen.asOf}` : ""}${chosen.basis ? `&basis=${chosen.basis}` : ""}${leader ? `&leader_id=${leader}` : ""}`),  // the count
    loadLeaders(),
    api("GET", `/api/v1/reports/scorecard?${new URLSearchParams(cardQuery)}`),
  ]);
  const file = (report, query, format) => {
    const params = new URLSearchParams(query);
    params.set("format", format);
    return `/api/v1/reports/${report}?${params}`;
  };
  const overdueQuery = { ...(chosen.asOf ? { as_of: chosen.asOf } : {}), ...(chosen.basis ? { basis: chosen.basis } : {}), ...(leader ? { leader_id: leader } : {}) };
  const scope = session.user.role === "unit" ? null : field("Lãnh đạo phụ trách", h("select", {
    name: "leader_id",
    onchange: (e) => {
      const next = new URLSearchParams(location.search);
      if (e.target.value) next.set("leader_id", e.target.value); else next.delete("leader_id");
      go(`/reports${next.toString() ? `?${next}` : ""}`);
    },
  }, h("option", { value: "" }, "Tất cả nhiệm vụ"),
  leaders.map((l) => h("option", { value: l.id, selected: String(l.id) === leader },
    l.id === session.user.id ? `${l.display_name} (tôi)` : l.display_name))));
  // Downloads are plain links: the browser sends the session cookie, and a GET needs no CSRF token.
  const downloads = (report, query) => h("ul", { class: "downloads" },
    h("li", {}, h("a", { href: file(report, query, "xlsx"), download: true }, "Tải tệp Excel (XLSX)")),
    h("li", {}, h("a", { href: file(report, query, "csv"), download: true }, "Tải tệp CSV")),
    h("li", {}, h("a", { href: file(report, query, "html"), target: "_blank", rel: "noopener" }, "Mở bản in")));
  show("Báo cáo",
    h("p", { class: "lede" }, periodWords(chosen), leader ? `; nhiệm vụ do ${leaderName(Number(leader))} phụ trách` : ""),
    scope ? h("div", { class: "filters narrow" }, scope) : null,
    periodForm("/reports", chosen),
    h("section", { class: "panel", "aria-labelledby": "summary" },
      h("h2", { id: "summary" }, "Báo cáo tổng hợp tình hình thực hiện nhiệm vụ"),
      downloads("summary", q),
      summaryTable(summary, `Từ ${date(chosen.from)} đến ${date(chosen.to)}`),
      extensionFigures(summary.extensions),
      unitTable(summary.by_lead_unit)),
    h("section", { class: "panel", "aria-labelledby": "overdue" },
      h("h2", { id: "overdue" }, `Phụ lục: nhiệm vụ quá hạn đến ${date(overdue.as_of)}`),
      h("p", {}, `${numbers.format(overdue.total)} nhiệm vụ quá hạn.`),
      downloads("overdue", overdueQuery)),
    h("section", { class: "panel", "aria-labelledby": "scorecard" },
      h("h2", { id: "scorecard" }, `Đánh giá kết quả thực hiện nhiệm vụ năm ${year}`),
      h("p", {}, "Các đơn vị xếp theo tỷ lệ hoàn thành đúng hạn của nhiệm vụ đến hạn trong năm; tỷ lệ bằng nhau thì cùng hạng."),
      downloads("scorecard", cardQuery),
      scorecardTable(card)));
}
