/**
 * `sre-platform slo report --html`: the page's content, and the page as a reader sees it, in a real headless
 * Chromium: no console errors or failed requests, one chart per SLO with visible lines, nothing wider than
 * the window. A screenshot is left in the temporary folder the test prints, for a look.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../bin/sre-platform";
import { renderHtmlReport } from "../../bin/slo-report-html";
import { compileSlos } from "../../lib/slo/compile";
import { loadSloFiles } from "../../lib/slo/load";
import { CHROMIUM, describeWithBinaries, findBinary } from "../support/binaries";

const root = path.resolve(__dirname, "../..");
const specs = ["checkout-api.yaml", "payments-worker.yaml"].map((f) => path.join(root, "environments/slos", f));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "slo-report-html-"));
afterAll(() => {
  if (process.env.KEEP_REPORT_SCREENSHOTS === undefined) fs.rmSync(tmp, { recursive: true, force: true });
  else console.info(`report and screenshot kept in ${tmp}`);
});

function run(args: string[]): { code: number; out: string; err: string } {
  let out = "";
  let err = "";
  const code = main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe("slo report --html", () => {
  test("writes DIR/index.html with one card and one chart per SLO, and says so", () => {
    const dir = path.join(tmp, "prod");
    const r = run(["slo", "report", ...specs, "--environment", "prod", "--html", "--out", dir]);
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toBe(`wrote ${path.join(dir, "index.html")}: 4 SLOs (prod)\n`);
    const html = fs.readFileSync(path.join(dir, "index.html"), "utf8");
    expect(html.match(/<article class="slo"/g)).toHaveLength(4);
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/); // self-contained: nothing to run or fetch
    // 99.9% over 30d: 43.2 min of budget; the 1h/5m page pair (14.4×, 1.44%) fires after 0.0144 × 3600 s ≈ 52 s.
    expect(html).toContain("0.1% · 43.2 min of total outage");
    expect(html).toMatch(/<td>1h \/ 5m<\/td><td class="num">2%<\/td><td class="num">14.4×<\/td><td class="num">1.44%<\/td><td class="num">52s<\/td>/);
  });

  test("--html needs --out, and --out needs --html: exit 2, nothing written", () => {
    expect(run(["slo", "report", ...specs, "--html"])).toMatchObject({ code: 2, err: "sre-platform: option --html needs --out DIR, the folder to write index.html to\n" });
    expect(run(["slo", "report", ...specs, "--out", path.join(tmp, "x")])).toMatchObject({ code: 2, err: "sre-platform: option --out needs --html (the text report goes to stdout)\n" });
    expect(fs.existsSync(path.join(tmp, "x"))).toBe(false);
  });

  test("text from specs is escaped", () => {
    const result = compileSlos(loadSloFiles(specs, {}));
    const first = result.slos[0]!;
    const evil = { ...result, slos: [{ ...first, slo: { ...first.slo, description: '<img src=x onerror="alert(1)">' } }] };
    const html = renderHtmlReport(evil, { generatedAt: new Date(0) });
    expect(html).toContain("&#60;img src=x onerror=&#34;alert(1)&#34;&#62;");
    expect(html).not.toContain("<img");
  });
});

describeWithBinaries("slo report --html in a real browser", [CHROMIUM], () => {
  jest.setTimeout(60_000);

  test("renders every chart, without console errors, within the window's width", async () => {
    const dir = path.join(tmp, "browser");
    expect(run(["slo", "report", ...specs, "--environment", "dev", "--html", "--out", dir]).code).toBe(0);
    const puppeteer = await import("puppeteer-core");
    const browser = await puppeteer.launch({
      executablePath: findBinary(CHROMIUM)!,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warn") problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`page error: ${(e as Error).message}`));
      page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
      await page.setViewport({ width: 1280, height: 900 });
      await page.goto(`file://${path.join(dir, "index.html")}`, { waitUntil: "load" });
      // A string, so the page's DOM types stay out of the project's (node-only) compilation.
      const shape = (await page.evaluate(`(() => {
        const charts = [...document.querySelectorAll("figure.chart svg")];
        return {
          charts: charts.map((svg) => {
            const box = svg.getBoundingClientRect();
            const lines = [...svg.querySelectorAll("g.pair path")];
            return {
              width: box.width,
              height: box.height,
              lines: lines.map((l) => [l.getBBox().width, l.getBBox().height, getComputedStyle(l).stroke]),
              ticks: svg.querySelectorAll("text.tick").length,
            };
          }),
          overflow: document.documentElement.scrollWidth - window.innerWidth,
          title: document.title,
        };
      })()`)) as {
        charts: { width: number; height: number; lines: [number, number, string][]; ticks: number }[];
        overflow: number;
        title: string;
      };
      await page.screenshot({ path: path.join(dir, "report.png"), fullPage: true });
      expect(problems).toEqual([]);
      expect(shape.title).toBe("SLO report: dev");
      expect(shape.overflow).toBeLessThanOrEqual(0);
      expect(shape.charts).toHaveLength(4);
      for (const chart of shape.charts) {
        expect(chart.width).toBeGreaterThan(300);
        expect(chart.height).toBeGreaterThan(150);
        expect(chart.ticks).toBeGreaterThanOrEqual(6);
        expect(chart.lines.length).toBeGreaterThanOrEqual(2);
        for (const [w, h, stroke] of chart.lines) {
          expect(w).toBeGreaterThan(10);
          expect(h).toBeGreaterThan(10);
          expect(stroke).not.toBe("none");
        }
      }
    } finally {
      await browser.close();
    }
  });
});
