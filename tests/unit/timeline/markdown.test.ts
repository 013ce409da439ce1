import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MessageText } from "@/components/timeline/message-text";

const render = (text: string) => renderToStaticMarkup(createElement(MessageText, { text }));

type TTag = { name: string; attributes: Array<{ name: string; value: string }> };

/**
 * The elements of rendered markup. React escapes `<` in text and `"` in attribute values, so every
 * `<` that opens a tag in the output is a real element, never a message's text.
 */
function tagsOf(html: string): TTag[] {
  return [...html.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)].map(([, name, rest]) => ({
    name: name!.toLowerCase(),
    attributes: [...rest!.matchAll(/\s([^\s="/]+)(?:="([^"]*)")?/g)].map(([, attr, value]) => ({ name: attr!.toLowerCase(), value: value ?? "" })),
  }));
}

const decode = (value: string) => value.replace(/&amp;/g, "&").replace(/&#x27;/g, "'").replace(/&quot;/g, '"');

/** What must never come out of a message, whatever it says. */
function expectHarmless(html: string): void {
  const tags = tagsOf(html);
  expect(tags.length).toBeGreaterThan(0); // control: the markup was read
  for (const tag of tags) {
    expect(["script", "iframe", "object", "embed", "style", "link", "meta", "base", "form", "img", "svg", "math", "frame", "frameset"], `<${tag.name}>`).not.toContain(tag.name);
    for (const attribute of tag.attributes) {
      expect(attribute.name, `<${tag.name} ${attribute.name}>`).not.toMatch(/^on/);
      expect(attribute.name).not.toBe("style");
      expect(attribute.name).not.toBe("srcdoc");
      if (["href", "src", "action", "formaction", "xlink:href"].includes(attribute.name)) {
        expect(decode(attribute.value).replace(/[\s\u0000-\u001f]/g, ""), `${tag.name}[${attribute.name}]`).not.toMatch(/^(javascript|vbscript|data):/i);
      }
    }
  }
}

const HOSTILE = [
  "<script>alert(1)</script>",
  "Hello <img src=x onerror=alert(1)> world",
  '<a href="javascript:alert(1)">click</a>',
  "[click](javascript:alert(1))",
  "[click](  JaVaScRiPt:alert(1))",
  "[click](java\tscript:alert(1))",
  "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "[vb](vbscript:msgbox(1))",
  "![x](javascript:alert(1))",
  '![pixel](https://tracker.example/p.gif "t")',
  "<iframe src=\"https://evil.example\"></iframe>",
  '<div style="position:fixed" onclick="alert(1)">covers the page</div>',
  "<svg><script>alert(1)</script></svg>",
  "<details open ontoggle=alert(1)>x</details>",
  '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
  "[ref][1]\n\n[1]: javascript:alert(1)",
  "<javascript:alert(1)>",
  "```html\n<script>alert(1)</script>\n```",
  "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |",
  '<form action="https://evil.example"><input name=x><button formaction="javascript:alert(1)">go</button></form>',
  "<base href=\"https://evil.example/\">",
  "<a href=\"https://ok.example\" onmouseover=\"alert(1)\">hover</a>",
];

describe("agent text as Markdown", () => {
  it("renders GFM: tables, lists, task lists, strikethrough and autolinks", () => {
    const html = render("| Name | Qty |\n|:--|--:|\n| apple | 3 |\n\n- one\n- two\n\n1. first\n2. second\n\n- [x] done\n- [ ] todo\n\n~~gone~~ and https://example.com");
    expect(html).toContain("<table");
    expect(html).toMatch(/<td[^>]*>apple<\/td>/);
    expect(html).toMatch(/<ul[^>]*>\s*<li[^>]*>one<\/li>/);
    expect(html).toMatch(/<ol[^>]*>\s*<li[^>]*>first<\/li>/);
    expect(html).toContain('type="checkbox"');
    expect(html).toContain("<del>gone</del>");
    expect(html).toContain('href="https://example.com"');
  });

  it("keeps a line break as written", () => {
    expect(render("The command printed:\n1\n2")).toContain("The command printed:<br/>\n1<br/>\n2");
  });

  it("opens links in a new tab without handing the page to them", () => {
    const tags = tagsOf(render("See [the docs](https://example.com/docs) or <https://example.org>."));
    const links = tags.filter((tag) => tag.name === "a");
    expect(links).toHaveLength(2);
    for (const link of links) {
      const attrs = Object.fromEntries(link.attributes.map((a) => [a.name, a.value]));
      expect(attrs.target).toBe("_blank");
      expect(attrs.rel).toBe("noopener noreferrer nofollow");
    }
  });

  it("highlights code blocks by their language, with a button that copies them", () => {
    const html = render("Run this:\n\n```ts\nconst answer: number = 42;\n```\n\nand `inline` code.");
    expect(html).toContain('aria-label="ts code"');
    expect(html).toMatch(/<span class="hljs-keyword">const<\/span>/);
    expect(html).toMatch(/<span class="hljs-number">42<\/span>/);
    expect(html).toContain("Copy code");
    expect(html).toMatch(/<code class="[^"]*">inline<\/code>/);
  });

  it("shows a code block of an unknown language, or none, as plain code", () => {
    const html = render("```nosuchlang\nfoo bar\n```\n\n```\nplain\n```");
    expect(html).toContain("foo bar");
    expect(html).toContain("plain");
    expect(html).not.toContain('<span class="hljs-');
  });

  it("shows raw HTML as the text it is", () => {
    const html = render("Use <b>bold</b> and <script>alert(1)</script>");
    expect(html).toContain("&lt;b&gt;bold&lt;/b&gt;");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(tagsOf(html).map((tag) => tag.name)).not.toContain("b");
  });

  it("never loads an image a message points at: it becomes a link", () => {
    const html = render("![a chart](https://example.com/chart.png)");
    expect(tagsOf(html).map((tag) => tag.name)).not.toContain("img");
    expect(html).toContain("[image: a chart]");
    expect(html).toContain('href="https://example.com/chart.png"');
  });

  it.each(HOSTILE)("lets no script, handler or dangerous URL through: %s", (text) => {
    expectHarmless(render(text));
  });

  it("lets nothing through when every payload comes in one message", () => {
    const html = render(HOSTILE.join("\n\n"));
    expectHarmless(html);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(href|src)="\s*javascript:/i);
  });

  it("the check itself catches what it looks for (a control)", () => {
    expect(() => expectHarmless('<p><a href="javascript:alert(1)">x</a></p>')).toThrow();
    expect(() => expectHarmless('<p><img src="x" onerror="alert(1)"></p>')).toThrow();
    expect(() => expectHarmless("<p><script>alert(1)</script></p>")).toThrow();
  });
});
