import { describe, expect, it } from "vitest";
import { closeDatabase } from "@/lib/db/client";
import { resetProcessState } from "@/lib/process-state";
import { withFreshDatabase } from "@/lib/test/db";
import { createApiApp } from "./app";

const db = withFreshDatabase();

describe("GET /api/v1/health", () => {
  it("answers ok with the database in use", async () => {
    const res = await createApiApp().request("/api/v1/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", database: db.kind() });
  });

  it("answers 503 problem+json when the database is unreachable", async () => {
    await closeDatabase();
    const saved = { url: process.env.DATABASE_URL, secret: process.env.AUTH_SECRET };
    resetProcessState("config");
    process.env.DATABASE_URL = "postgres://postgres@127.0.0.1:1/nowhere";
    process.env.AUTH_SECRET ??= "x".repeat(40);
    try {
      const res = await createApiApp().request("/api/v1/health");
      expect(res.status).toBe(503);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(await res.json()).toMatchObject({ status: 503, code: "database_unavailable", title: "Database unavailable" });
    } finally {
      await closeDatabase();
      resetProcessState("config");
      if (saved.url === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved.url;
      if (saved.secret === undefined) delete process.env.AUTH_SECRET;
    }
  });
});
