export declare const API_SECURITY_HEADERS: Readonly<Record<"X-Content-Type-Options" | "X-Frame-Options" | "Content-Security-Policy" | "Referrer-Policy", string>>;
