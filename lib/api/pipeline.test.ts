import { describe, expect, it } from "vitest";
import { generateKey } from "@/lib/keys/format";
import { keyInQuery } from "./pipeline";
import { isApiPath } from "./paths";

describe("keyInQuery", () => {
  const key = generateKey("pat");
  it.each([
    [`/api/v1/me?api_key=${key}`],
    ["/api/v1/me?key=anything"],
    ["/api/v1/me?token=x"],
    ["/api/v1/me?ACCESS_TOKEN=x"],
    [`/api/v1/me?q=${key}`],
    [`/api/v1/me?${key}`],
    [`/api/v1/keys?includeRevoked=true&x=${encodeURIComponent(key)}`],
  ])("refuses %s", (url) => expect(keyInQuery(url)).toBe(true));

  it.each([["/api/v1/me"], ["/api/v1/keys?includeRevoked=true"], ["/api/v1/projects?page=2"]])("lets %s through", (url) =>
    expect(keyInQuery(url)).toBe(false),
  );
});

describe("isApiPath", () => {
  it.each([
    ["/api/v1", true],
    ["/api/v1/me", true],
    ["/api/v1?x=1", true],
    ["/api-docs", true],
    ["/api-docs/assets/swagger-ui.css", true],
    ["/api/v1x", false],
    ["/api/auth/session", false],
    ["/api-docsx", false],
    ["/", false],
  ])("%s → %s", (url, expected) => expect(isApiPath(url)).toBe(expected));
});
