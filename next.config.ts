import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite broke when bundled and several build workers ran; argon2 is a native addon.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres"],
  poweredByHeader: false,
  // The same 1 MiB as SERVER_ACTION_BODY_LIMIT (lib/http/body-limit.ts), which server.ts enforces first with a 413.
  experimental: { serverActions: { bodySizeLimit: "1mb" } },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
