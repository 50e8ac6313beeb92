import { type APIResponse, expect } from "@playwright/test";

/** An application/problem+json answer with this status and code, that repeats none of `secrets`. */
export async function expectProblem(res: APIResponse, status: number, code: string, secrets: string[] = []) {
  expect(res.status()).toBe(status);
  expect(res.headers()["content-type"]).toBe("application/problem+json");
  const body = await res.json();
  expect(body).toMatchObject({ status, code, type: `/api-docs/problems#${code}`, title: expect.any(String), detail: expect.any(String) });
  for (const secret of secrets) expect(JSON.stringify(body)).not.toContain(secret);
  return body as { detail: string; errors?: Record<string, string[]> };
}
