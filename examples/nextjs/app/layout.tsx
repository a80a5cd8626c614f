import type { ReactNode } from 'react';

export const metadata = { title: 'Next.js + Banter' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ font: '16px system-ui, sans-serif', margin: '2rem auto', maxWidth: '56rem' }}>{children}</body>
    </html>
  );
}
