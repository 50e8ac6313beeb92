import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getConfig } from "@/lib/config";
import { userFacing } from "@/lib/errors";
import { CLIENT_IP_HEADER } from "@/lib/http/client-ip";
import { sameOriginPath } from "./redirect";
import { endSession } from "@/lib/users/sessions";
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
          let result: Awaited<ReturnType<typeof signInWithPassword>>;
          try {
            result = await signInWithPassword(credentials?.email ?? "", credentials?.password ?? "", {
              ip: header(req.headers, CLIENT_IP_HEADER) ?? "unknown",
              userAgent: header(req.headers, "user-agent"),
            });
          } catch (error) {
            // next-auth puts a thrown message in the URL and the sign-in form shows it: only ever a sentence for people.
            throw new Error(userFacing(error, "sign-in").message);
          }
          if (result.ok) {
            const { id, email, name, sessionId: sid } = result.user;
            return { id, email, name, sid };
          }
          // next-auth hands a thrown message back to signIn() as `error`.
          throw new Error(result.reason === "locked" ? lockedMessage(result.retryAt) : INVALID_CREDENTIALS);
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.sid = (user as { sid?: string }).sid;
        }
        return token;
      },
      session({ session, token }) {
        return { ...session, user: { id: token.sub, sid: token.sid } } as typeof session;
      },
      // After sign-in and sign-out: only a path of this origin, however the URL is spelled.
      redirect({ url, baseUrl }) {
        return new URL(sameOriginPath(url, baseUrl), baseUrl).toString();
      },
    },
    events: {
      // Ends the session on the server: a copy of the cookie is refused from now on.
      async signOut({ token }) {
        if (typeof token?.sid === "string") await endSession(token.sid);
      },
    },
  };
}
