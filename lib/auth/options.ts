import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getConfig } from "@/lib/config";
import { CLIENT_IP_HEADER } from "@/lib/http/client-ip";
import { INVALID_CREDENTIALS, lockedMessage, signInWithPassword } from "./sign-in";

function header(headers: Record<string, unknown> | undefined, name: string): string | null {
  const value = headers?.[name];
  return typeof value === "string" ? value : null;
}

export function getAuthOptions(): NextAuthOptions {
  const config = getConfig();
  return {
    secret: config.authSecret,
    session: { strategy: "jwt", maxAge: config.sessionMaxAge, updateAge: 0 },
    jwt: { maxAge: config.sessionMaxAge },
    pages: { signIn: "/login", error: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const result = await signInWithPassword(credentials?.email ?? "", credentials?.password ?? "", {
            ip: header(req.headers, CLIENT_IP_HEADER) ?? "unknown",
            userAgent: header(req.headers, "user-agent"),
          });
          if (result.ok) return { id: result.user.id, email: result.user.email, name: result.user.name, sv: result.user.sessionVersion };
          // next-auth hands a thrown message back to signIn() as `error`.
          throw new Error(result.reason === "locked" ? lockedMessage(result.retryAt) : INVALID_CREDENTIALS);
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.sv = (user as { sv?: number }).sv ?? 0;
        return token;
      },
      session({ session, token }) {
        return { ...session, user: { id: token.sub, sv: token.sv } } as typeof session;
      },
    },
  };
}
