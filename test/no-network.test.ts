import net from 'node:net';

describe('the test sandbox', () => {
  it('refuses connections to outside hosts before any packet leaves, so no test can reach a real API', () => {
    expect(() => net.connect({ host: 'api.telegram.org', port: 443 })).toThrow(/tests may only talk to this machine/);
    expect(() => net.connect(443, 'api.openai.com')).toThrow(/tests may only talk to this machine/);
  });

  it('lets tests reach this machine', async () => {
    const server = net.createServer((s) => s.end('ok')).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as net.AddressInfo;
    const reply = await new Promise<string>((resolve) => net.connect(port, '127.0.0.1').once('data', (d) => resolve(String(d))));
    expect(reply).toBe('ok');
    server.close();
  });
});
