import { describe, expect, it } from "vitest";
import { sameOriginPath } from "./redirect";

const ORIGIN = "http://127.0.0.1:3000";

describe("sameOriginPath", () => {
  it.each([
    "//evil.example",
    "//evil.example/path",
    "/\\evil.example",
    "/\\evil.example/",
    "\\/evil.example",
    "\\\\evil.example",
    "/\\/evil.example/",
    "/%5Cevil.example",
    "/%5cevil.example/",
    "%2F%5Cevil.example%2F",
    "/%2F/evil.example",
    "/%2Fevil.example",
    "/%255Cevil.example",
    "https://evil.example",
    "https://evil.example/login",
    "http://127.0.0.1:3000@evil.example/",
    "http://127.0.0.1:3001/",
    "https://127.0.0.1:3000/",
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\t/evil.example",
    "/\n/evil.example",
    "\t//evil.example",
    "/\r\n/evil.example",
    "/%09/evil.example",
    "/%0A/evil.example",
    "/.//evil.example",
    "/..//evil.example",
    "/./\\evil.example",
    "///evil.example",
    "",
  ])("refuses %j", (to) => {
    expect(sameOriginPath(to, ORIGIN)).toBe("/");
  });

  it.each(["evil.example", "http:evil.example", "./evil.example"])("reads %j as a path of ours, as the browser does", (to) => {
    expect(sameOriginPath(to, ORIGIN)).toBe("/evil.example");
  });

  it.each([
    [null, "/"],
    [undefined, "/"],
    ["/", "/"],
    ["/settings/api-keys", "/settings/api-keys"],
    ["/admin/users?q=ada&page=2#top", "/admin/users?q=ada&page=2#top"],
    ["http://127.0.0.1:3000/profile", "/profile"],
    ["/a/../profile", "/profile"],
  ])("keeps our own path %j → %j", (to, expected) => {
    expect(sameOriginPath(to, ORIGIN)).toBe(expected);
  });

  it("answers the fallback for anything refused", () => {
    expect(sameOriginPath("//evil.example", ORIGIN, "/profile")).toBe("/profile");
    expect(sameOriginPath("/profile", "not a url")).toBe("/");
  });
});
