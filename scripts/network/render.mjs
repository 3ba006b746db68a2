#!/usr/bin/env node
// Renders everything the network scripts need from the one county file (network/counties.json):
//   <run>/counties/<key>/crypto-config.yaml  input of cryptogen for that county alone (its own machine)
//   <run>/counties/<key>/county.json  that county's private facts: its CA key folder, admin and user MSPs
//   <run>/config/configtx.yaml        input of configtxgen (channel genesis block), which names only
//                                     the counties' PUBLIC material in <run>/public/<key>/ (publish.mjs)
//   <run>/nodes.tsv                   one line per node: id kind county host:port=label,... health-address
//   <run>/nodes/<id>.env              environment of each node process (CORE_* / ORDERER_*)
//   <run>/env/<county>.env            peer CLI / osnadmin environment of each county's admin
//   <run>/network.json                public connection facts for clients (gateway, tests, benchmark):
//                                     no county's private key path
//   <run>/config/collections.json     private data collections of the chaincode (deploy.sh CC_COLLECTIONS_CONFIG)
// YAML files are written as JSON, which is valid YAML.
// Usage: node scripts/network/render.mjs   (env: NETWORK_CONFIG, NETWORK_RUN_DIR, FABRIC_HOME)
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CONFIG = resolve(process.env.NETWORK_CONFIG ?? join(ROOT, 'network', 'counties.json'));
const RUN = resolve(process.env.NETWORK_RUN_DIR ?? join(ROOT, 'network', 'run'));
const FABRIC = resolve(process.env.FABRIC_HOME ?? join(ROOT, '.fabric'));
const BUILDERS = join(ROOT, 'network', 'builders');

function fail(msg) {
  console.error(`network: ${CONFIG}: ${msg}`);
  process.exit(2);
}

const cfg = JSON.parse(readFileSync(CONFIG, 'utf8'));
// NETWORK_LAYOUT=hosts (up.sh --hosts): each county on its own host, a Linux network namespace with the
// county's hostAddress; its peer and orderer listen and are reached there (up.sh makes the namespaces).
// Otherwise (loopback) the peer/orderer host and listenHost of counties.json are used as written.
const LAYOUT = process.env.NETWORK_LAYOUT === 'hosts' ? 'hosts' : 'loopback';
const hostsCfg = { bridge: 'clbr0', bridgeAddress: '10.77.0.1/24', ...(cfg.hosts ?? {}) };
// Linux interface names are at most 15 characters
const linkName = (c) => `cl-${c.key}`.slice(0, 15);
if (LAYOUT === 'hosts') {
  if (!/^[a-z][a-z0-9-]{0,14}$/.test(hostsCfg.bridge)) fail('"hosts.bridge" must be an interface name of at most 15 characters');
  if (!/^10\.\d+\.\d+\.\d+\/\d+$/.test(hostsCfg.bridgeAddress)) fail('"hosts.bridgeAddress" must be a private 10.x.y.z/len address');
  const seen = new Set([hostsCfg.bridgeAddress.split('/')[0]]);
  for (const c of cfg.counties ?? []) {
    if (!/^10\.\d+\.\d+\.\d+$/.test(c.hostAddress ?? '')) fail(`county ${c.key} lacks "hostAddress" (a private 10.x.y.z address) for the hosts layout`);
    if (seen.has(c.hostAddress)) fail(`hostAddress ${c.hostAddress} is used twice`);
    seen.add(c.hostAddress);
    for (const kind of ['peer', 'orderer']) if (c[kind]) c[kind] = { ...c[kind], host: c.hostAddress, listenHost: c.hostAddress };
  }
}
if (!cfg.channel || !/^[a-z][a-z0-9.-]*$/.test(cfg.channel)) fail('"channel" must be a lower-case channel name');
if (!Array.isArray(cfg.counties) || cfg.counties.length === 0) fail('"counties" must be a non-empty list');

// ---- validation: every county has one peer and one orderer, all ports distinct per host ----
const used = new Map();
for (const c of cfg.counties) {
  for (const f of ['key', 'name', 'mspId', 'domain']) if (!c[f]) fail(`county ${c.key ?? '?'} lacks "${f}"`);
  if (!/^[a-z][a-z0-9]*$/.test(c.key)) fail(`county key "${c.key}" must be lower-case letters/digits`);
  for (const [kind, ports] of [
    ['peer', ['port', 'chaincodePort', 'operationsPort']],
    ['orderer', ['port', 'adminPort', 'operationsPort']],
  ]) {
    const n = c[kind];
    if (!n || !n.host || !n.name) fail(`county ${c.key} lacks ${kind}.host / ${kind}.name`);
    if (kind === 'orderer' && (!n.mspId || !n.domain)) fail(`county ${c.key} lacks orderer.mspId / orderer.domain`);
    for (const p of ports) {
      if (!Number.isInteger(n[p]) || n[p] < 1 || n[p] > 65535) fail(`county ${c.key} ${kind}.${p} must be a port number`);
      const k = `${n.listenHost ?? n.host}:${n[p]}`;
      if (used.has(k)) fail(`${k} is used twice (${used.get(k)} and ${c.key} ${kind}.${p})`);
      used.set(k, `${c.key} ${kind}.${p}`);
    }
  }
}

// ---- paths ----
// Each county's crypto material is made in its own folder, as on its own machine; only what it
// publishes (certificates, NodeOU config) is copied to <run>/public/<key>/ by publish.mjs, and the
// channel configuration and other counties use nothing else.
const countyDir = (c) => join(RUN, 'counties', c.key);
const CRYPTO = (c) => join(countyDir(c), 'crypto');
const publicDir = (c) => join(RUN, 'public', c.key);
const peerOrgDir = (c) => join(CRYPTO(c), 'peerOrganizations', c.domain);
const ordOrgDir = (c) => join(CRYPTO(c), 'ordererOrganizations', c.orderer.domain);
const peerFqdn = (c) => `${c.peer.name}.${c.domain}`;
const ordFqdn = (c) => `${c.orderer.name}.${c.orderer.domain}`;
const peerDir = (c) => join(peerOrgDir(c), 'peers', peerFqdn(c));
const ordDir = (c) => join(ordOrgDir(c), 'orderers', ordFqdn(c));
const peerAdminDir = (c) => join(peerOrgDir(c), 'users', `Admin@${c.domain}`);
const ordAdminDir = (c) => join(ordOrgDir(c), 'users', `Admin@${c.orderer.domain}`);
// public copies (publish.mjs): the county's MSPs for the channel, its TLS roots, its orderer's TLS certificate
const pubPeerMsp = (c) => join(publicDir(c), 'msp');
const pubOrdMsp = (c) => join(publicDir(c), 'orderer-msp');
const pubPeerTlsCa = (c) => join(publicDir(c), 'peer-tls-ca.crt');
const pubOrdTlsCa = (c) => join(publicDir(c), 'orderer-tls-ca.crt');
const pubOrdTlsCert = (c) => join(publicDir(c), 'orderer-tls-server.crt');
const pubCaCert = (c) => join(publicDir(c), 'ca.crt');
const listen = (n) => n.listenHost ?? n.host;
const addr = (n, p = n.port) => `${n.host}:${p}`;
const peerId = (c) => `${c.key}-peer`;
const ordId = (c) => `${c.key}-orderer`;
const uniq = (xs) => [...new Set(xs.filter(Boolean))];

for (const d of ['config', 'nodes', 'env', 'logs', 'channel', 'public']) mkdirSync(join(RUN, d), { recursive: true });
for (const c of cfg.counties) mkdirSync(countyDir(c), { recursive: true });
const write = (rel, text) => writeFileSync(join(RUN, rel), text);
const yaml = (obj) => JSON.stringify(obj, null, 2) + '\n';
const sh = (v) => `'${String(v).replace(/'/g, `'\\''`)}'`;
const envFile = (vars) =>
  Object.entries(vars)
    .map(([k, v]) => `export ${k}=${sh(v)}`)
    .join('\n') + '\n';

// ---- cryptogen: one configuration per county, run in that county's folder ----
const sans = (n) => uniq([n.host, listen(n), 'localhost', '127.0.0.1']);
for (const c of cfg.counties) {
  write(
    `counties/${c.key}/crypto-config.yaml`,
    yaml({
      OrdererOrgs: [
        {
          Name: `${c.name}Orderer`,
          Domain: c.orderer.domain,
          EnableNodeOUs: true,
          Specs: [{ Hostname: c.orderer.name, SANS: sans(c.orderer) }],
        },
      ],
      PeerOrgs: [
        {
          Name: c.name,
          Domain: c.domain,
          EnableNodeOUs: true,
          Specs: [{ Hostname: c.peer.name, SANS: sans(c.peer) }],
          Users: { Count: c.users ?? 1 },
        },
      ],
    }),
  );
}
// what publish.mjs copies from each county's folder to <run>/public/<key>/: certificates and the NodeOU
// configuration only (it refuses anything that holds a private key)
write(
  'config/publish.json',
  JSON.stringify(
    cfg.counties.map((c) => ({
      county: c.key,
      files: [
        [join(peerOrgDir(c), 'msp', 'cacerts'), join(pubPeerMsp(c), 'cacerts')],
        [join(peerOrgDir(c), 'msp', 'tlscacerts'), join(pubPeerMsp(c), 'tlscacerts')],
        [join(peerOrgDir(c), 'msp', 'config.yaml'), join(pubPeerMsp(c), 'config.yaml')],
        [join(ordOrgDir(c), 'msp', 'cacerts'), join(pubOrdMsp(c), 'cacerts')],
        [join(ordOrgDir(c), 'msp', 'tlscacerts'), join(pubOrdMsp(c), 'tlscacerts')],
        [join(ordOrgDir(c), 'msp', 'config.yaml'), join(pubOrdMsp(c), 'config.yaml')],
        [join(peerDir(c), 'tls', 'ca.crt'), pubPeerTlsCa(c)],
        [join(ordDir(c), 'tls', 'ca.crt'), pubOrdTlsCa(c)],
        [join(ordDir(c), 'tls', 'server.crt'), pubOrdTlsCert(c)],
        [join(peerOrgDir(c), 'ca', `ca.${c.domain}-cert.pem`), pubCaCert(c)],
      ],
    })),
    null,
    2,
  ) + '\n',
);

// ---- configtxgen ----
const sig = (rule) => ({ Type: 'Signature', Rule: rule });
const implicit = (rule) => ({ Type: 'ImplicitMeta', Rule: rule });
const peerOrgs = cfg.counties.map((c) => ({
  Name: c.mspId,
  ID: c.mspId,
  MSPDir: pubPeerMsp(c),
  Policies: {
    Readers: sig(`OR('${c.mspId}.admin', '${c.mspId}.peer', '${c.mspId}.client')`),
    Writers: sig(`OR('${c.mspId}.admin', '${c.mspId}.client')`),
    Admins: sig(`OR('${c.mspId}.admin')`),
    Endorsement: sig(`OR('${c.mspId}.peer')`),
  },
  AnchorPeers: [{ Host: c.peer.host, Port: c.peer.port }],
}));
const ordererOrgs = cfg.counties.map((c) => ({
  Name: c.orderer.mspId,
  ID: c.orderer.mspId,
  MSPDir: pubOrdMsp(c),
  Policies: {
    Readers: sig(`OR('${c.orderer.mspId}.member')`),
    Writers: sig(`OR('${c.orderer.mspId}.member')`),
    Admins: sig(`OR('${c.orderer.mspId}.admin')`),
  },
  OrdererEndpoints: [addr(c.orderer)],
}));
const o = cfg.orderer ?? {};
const stdPolicies = { Readers: implicit('ANY Readers'), Writers: implicit('ANY Writers'), Admins: implicit('MAJORITY Admins') };
const channelCaps = { V3_0: true };
write(
  'config/configtx.yaml',
  yaml({
    Profiles: {
      CountyLedgerChannel: {
        Policies: stdPolicies,
        Capabilities: channelCaps,
        Orderer: {
          OrdererType: 'etcdraft',
          BatchTimeout: o.batchTimeout ?? '250ms',
          BatchSize: {
            MaxMessageCount: o.maxMessageCount ?? 500,
            AbsoluteMaxBytes: o.absoluteMaxBytes ?? '10 MB',
            PreferredMaxBytes: o.preferredMaxBytes ?? '2 MB',
          },
          EtcdRaft: {
            Consenters: cfg.counties.map((c) => ({
              Host: c.orderer.host,
              Port: c.orderer.port,
              ClientTLSCert: pubOrdTlsCert(c),
              ServerTLSCert: pubOrdTlsCert(c),
            })),
            Options: {
              TickInterval: o.raftTickInterval ?? '250ms',
              ElectionTick: 10,
              HeartbeatTick: 1,
              MaxInflightBlocks: 5,
              SnapshotIntervalSize: '16 MB',
            },
          },
          Organizations: ordererOrgs,
          Policies: { ...stdPolicies, BlockValidation: implicit('ANY Writers') },
          Capabilities: { V2_0: true },
        },
        Application: {
          Organizations: peerOrgs,
          Policies: {
            ...stdPolicies,
            // a majority of counties must endorse chaincode transactions and approve definitions
            LifecycleEndorsement: implicit('MAJORITY Endorsement'),
            Endorsement: implicit('MAJORITY Endorsement'),
          },
          Capabilities: { V2_5: true },
        },
      },
    },
  }),
);

// ---- per-node process environments ----
const peerConfigDir = join(RUN, 'config', 'peer'); // patched copy of sampleconfig/core.yaml
const ordererConfigDir = join(FABRIC, 'sampleconfig'); // orderer.yaml used as is, overridden by env
const nodes = [];
// the default format colours its output; logs go to files
const LOG_FORMAT = '%{time:2006-01-02 15:04:05.000 MST} %{id:04x} %{level:.4s} [%{module}] %{shortfunc} -> %{message}';
for (const c of cfg.counties) {
  const p = c.peer,
    pd = peerDir(c),
    id = peerId(c),
    data = join(RUN, 'nodes', id);
  write(
    `nodes/${id}.env`,
    envFile({
      FABRIC_CFG_PATH: peerConfigDir,
      FABRIC_LOGGING_SPEC: process.env.FABRIC_LOGGING_SPEC ?? 'info:grpc=warning',
      FABRIC_LOGGING_FORMAT: LOG_FORMAT,
      CORE_PEER_ID: peerFqdn(c),
      CORE_PEER_NETWORKID: cfg.channel,
      CORE_PEER_LISTENADDRESS: `${listen(p)}:${p.port}`,
      CORE_PEER_ADDRESS: addr(p),
      CORE_PEER_CHAINCODELISTENADDRESS: `${listen(p)}:${p.chaincodePort}`,
      CORE_PEER_CHAINCODEADDRESS: `${listen(p)}:${p.chaincodePort}`,
      CORE_PEER_GOSSIP_BOOTSTRAP: addr(p),
      CORE_PEER_GOSSIP_EXTERNALENDPOINT: addr(p),
      CORE_PEER_GOSSIP_USELEADERELECTION: 'false',
      CORE_PEER_GOSSIP_ORGLEADER: 'true',
      // peers join the channel one after another; retry unreachable peers soon, not after 25 s
      CORE_PEER_GOSSIP_RECONNECTINTERVAL: '3s',
      // A peer cut off from the orderers retries its block delivery at most 3 s apart (Fabric's
      // default backoff grows to an hour): after a 30 s partition it is back in seconds, not tens.
      CORE_PEER_DELIVERYCLIENT_RECONNECTBACKOFFTHRESHOLD: '3s',
      // A partition drops packets without closing connections: keepalive pings (5 s, 3 s to answer)
      // find a dead orderer connection in seconds, so the peer pulls blocks from another orderer,
      // and the peer answers other peers' and clients' pings as often (minInterval).
      CORE_PEER_KEEPALIVE_DELIVERYCLIENT_INTERVAL: '5s',
      CORE_PEER_KEEPALIVE_DELIVERYCLIENT_TIMEOUT: '3s',
      CORE_PEER_KEEPALIVE_CLIENT_INTERVAL: '5s',
      CORE_PEER_KEEPALIVE_CLIENT_TIMEOUT: '3s',
      CORE_PEER_KEEPALIVE_MININTERVAL: '4s',
      CORE_PEER_LOCALMSPID: c.mspId,
      CORE_PEER_MSPCONFIGPATH: join(pd, 'msp'),
      CORE_PEER_TLS_ENABLED: 'true',
      CORE_PEER_TLS_CERT_FILE: join(pd, 'tls', 'server.crt'),
      CORE_PEER_TLS_KEY_FILE: join(pd, 'tls', 'server.key'),
      CORE_PEER_TLS_ROOTCERT_FILE: join(pd, 'tls', 'ca.crt'),
      CORE_PEER_FILESYSTEMPATH: data,
      CORE_LEDGER_SNAPSHOTS_ROOTDIR: join(data, 'snapshots'),
      CORE_LEDGER_STATE_STATEDATABASE: 'goleveldb',
      CORE_OPERATIONS_LISTENADDRESS: `${listen(p)}:${p.operationsPort}`,
      CORE_METRICS_PROVIDER: 'prometheus',
      CORE_CHAINCODE_EXTERNALBUILDERS: `[{name: node-external, path: ${join(BUILDERS, 'node')}, propagateEnvironment: [HOME, PATH, NODE, NODE_OPTIONS, COUNTY_LEDGER_CC_LOG_LEVEL, COUNTY_LEDGER_CC_LOG_DIR, COUNTY_LEDGER_RUN_DIR]}]`,
      COUNTY_LEDGER_CC_LOG_DIR: join(RUN, 'logs'),
      COUNTY_LEDGER_RUN_DIR: RUN,
    }),
  );
  nodes.push([
    id,
    'peer',
    c.key,
    `${listen(p)}:${p.port}=peer-port,${listen(p)}:${p.chaincodePort}=chaincode-port,${listen(p)}:${p.operationsPort}=operations-port`,
    `${listen(p)}:${p.operationsPort}`,
  ]);

  const n = c.orderer,
    od = ordDir(c),
    oid = ordId(c),
    odata = join(RUN, 'nodes', oid);
  const tlsCa = join(od, 'tls', 'ca.crt');
  write(
    `nodes/${oid}.env`,
    envFile({
      FABRIC_CFG_PATH: ordererConfigDir,
      FABRIC_LOGGING_SPEC: process.env.FABRIC_LOGGING_SPEC ?? 'info:grpc=warning',
      FABRIC_LOGGING_FORMAT: LOG_FORMAT,
      ORDERER_GENERAL_LISTENADDRESS: listen(n),
      ORDERER_GENERAL_LISTENPORT: String(n.port),
      ORDERER_GENERAL_LOCALMSPID: n.mspId,
      // Peers ping their delivery connection every 5 s; the orderer's default (60 s) would close such connections.
      ORDERER_GENERAL_KEEPALIVE_SERVERMININTERVAL: '4s',
      ORDERER_GENERAL_LOCALMSPDIR: join(od, 'msp'),
      ORDERER_GENERAL_TLS_ENABLED: 'true',
      ORDERER_GENERAL_TLS_PRIVATEKEY: join(od, 'tls', 'server.key'),
      ORDERER_GENERAL_TLS_CERTIFICATE: join(od, 'tls', 'server.crt'),
      ORDERER_GENERAL_TLS_ROOTCAS: `[${tlsCa}]`,
      ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE: join(od, 'tls', 'server.crt'),
      ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY: join(od, 'tls', 'server.key'),
      ORDERER_GENERAL_CLUSTER_ROOTCAS: `[${tlsCa}]`,
      ORDERER_FILELEDGER_LOCATION: join(odata, 'ledger'),
      ORDERER_CONSENSUS_WALDIR: join(odata, 'etcdraft', 'wal'),
      ORDERER_CONSENSUS_SNAPDIR: join(odata, 'etcdraft', 'snapshot'),
      ORDERER_CHANNELPARTICIPATION_ENABLED: 'true',
      ORDERER_ADMIN_LISTENADDRESS: `${listen(n)}:${n.adminPort}`,
      ORDERER_ADMIN_TLS_ENABLED: 'true',
      ORDERER_ADMIN_TLS_PRIVATEKEY: join(od, 'tls', 'server.key'),
      ORDERER_ADMIN_TLS_CERTIFICATE: join(od, 'tls', 'server.crt'),
      ORDERER_ADMIN_TLS_ROOTCAS: `[${tlsCa}]`,
      ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED: 'true',
      ORDERER_ADMIN_TLS_CLIENTROOTCAS: `[${tlsCa}]`,
      ORDERER_OPERATIONS_LISTENADDRESS: `${listen(n)}:${n.operationsPort}`,
      ORDERER_METRICS_PROVIDER: 'prometheus',
    }),
  );
  nodes.push([
    oid,
    'orderer',
    c.key,
    `${listen(n)}:${n.port}=orderer-port,${listen(n)}:${n.adminPort}=admin-port,${listen(n)}:${n.operationsPort}=operations-port`,
    `${listen(n)}:${n.operationsPort}`,
  ]);
}
// orderers first: peers need an ordering service to pull blocks from
nodes.sort((a, b) => (a[1] === b[1] ? 0 : a[1] === 'orderer' ? -1 : 1));
// 6th column: the county's network namespace in the hosts layout (empty: the root namespace)
const netnsOf = (key) => (LAYOUT === 'hosts' ? linkName({ key }) : '');
write('nodes.tsv', nodes.map((r) => [...r, netnsOf(r[2])].join('\t')).join('\n') + '\n');

// ---- hosts layout: what up.sh makes (bridge, one namespace + veth pair per county) and down.sh removes ----
// hosts.tsv: netns host-link address/len, one line per county; layout: loopback | hosts
write('layout', LAYOUT + '\n');
if (LAYOUT === 'hosts') {
  const len = hostsCfg.bridgeAddress.split('/')[1];
  write('hosts.tsv', cfg.counties.map((c) => [c.key, linkName(c), linkName(c), `${c.hostAddress}/${len}`].join('\t')).join('\n') + '\n');
  write('bridge', `${hostsCfg.bridge}\t${hostsCfg.bridgeAddress}\n`);
}

// ---- each county's admin environment for the peer CLI and osnadmin ----
for (const c of cfg.counties) {
  const oa = ordAdminDir(c);
  write(
    `env/${c.key}.env`,
    envFile({
      FABRIC_CFG_PATH: peerConfigDir,
      FABRIC_LOGGING_SPEC: 'info:grpc=error',
      FABRIC_LOGGING_FORMAT: LOG_FORMAT,
      CORE_PEER_TLS_ENABLED: 'true',
      CORE_PEER_LOCALMSPID: c.mspId,
      CORE_PEER_MSPCONFIGPATH: join(peerAdminDir(c), 'msp'),
      CORE_PEER_ADDRESS: addr(c.peer),
      CORE_PEER_TLS_ROOTCERT_FILE: pubPeerTlsCa(c),
      COUNTY_KEY: c.key,
      COUNTY_NAME: c.name,
      CHANNEL: cfg.channel,
      ORDERER_ADDRESS: addr(c.orderer),
      ORDERER_TLS_CA: pubOrdTlsCa(c),
      ORDERER_ADMIN_ADDRESS: addr(c.orderer, c.orderer.adminPort),
      ORDERER_ADMIN_TLS_CERT: join(oa, 'tls', 'client.crt'),
      ORDERER_ADMIN_TLS_KEY: join(oa, 'tls', 'client.key'),
    }),
  );
}

// ---- private data collections of the County Ledger chaincode: one per county, `<mspId>-private`
// (chaincode/src/subjects/records.ts privateCollectionOf). Only that county's peer stores and serves
// the data (member-only read); every peer keeps the hashes. requiredPeerCount 0: an endorsement does
// not wait for dissemination (the county's own peer is usually the endorser that simulated the write;
// otherwise it pulls the data at commit); maxPeerCount 1 = the county's one peer; blockToLive 0 =
// kept for ever (personal data of registered individuals is a standing record).
write(
  'config/collections.json',
  JSON.stringify(
    cfg.counties.map((c) => ({
      name: `${c.mspId}-private`,
      policy: `OR('${c.mspId}.member')`,
      requiredPeerCount: 0,
      maxPeerCount: 1,
      blockToLive: 0,
      memberOnlyRead: true,
      memberOnlyWrite: false,
    })),
    null,
    2,
  ) + '\n',
);

// ---- connection facts for clients: public material only, for every county ----
const counties = cfg.counties.map((c) => ({
  key: c.key,
  name: c.name,
  division: c.division,
  mspId: c.mspId,
  peer: {
    endpoint: addr(c.peer),
    hostnameOverride: peerFqdn(c),
    tlsRootCert: pubPeerTlsCa(c),
    operations: `http://${addr(c.peer, c.peer.operationsPort)}`,
  },
  orderer: {
    mspId: c.orderer.mspId,
    endpoint: addr(c.orderer),
    tlsRootCert: pubOrdTlsCa(c),
    admin: addr(c.orderer, c.orderer.adminPort),
    operations: `http://${addr(c.orderer, c.orderer.operationsPort)}`,
    ca: { cert: join(pubOrdMsp(c), 'cacerts', `ca.${c.orderer.domain}-cert.pem`) },
  },
  ca: { cert: pubCaCert(c) },
  // hosts layout: the county's own host (network namespace), its address and the root side of its link
  ...(LAYOUT === 'hosts' ? { address: c.hostAddress, netns: linkName(c), hostLink: linkName(c) } : {}),
}));
write(
  'network.json',
  JSON.stringify({ channel: cfg.channel, layout: LAYOUT, ...(LAYOUT === 'hosts' ? { bridge: hostsCfg.bridge } : {}), counties }, null, 2) + '\n',
);

// ---- each county's own facts, in its own folder: its CA (certificate and key folder, to issue
// further identities), its admin MSP and the generated user MSPs (User1@<domain>). Read by that
// county's gateway only (<dir of network.json>/counties/<key>/county.json).
for (const c of cfg.counties) {
  write(
    `counties/${c.key}/county.json`,
    JSON.stringify(
      {
        key: c.key,
        mspId: c.mspId,
        ca: { cert: join(peerOrgDir(c), 'ca', `ca.${c.domain}-cert.pem`), keyDir: join(peerOrgDir(c), 'ca') },
        admin: { msp: join(peerAdminDir(c), 'msp') },
        users: Array.from({ length: c.users ?? 1 }, (_, i) => ({
          name: `User${i + 1}@${c.domain}`,
          msp: join(peerOrgDir(c), 'users', `User${i + 1}@${c.domain}`, 'msp'),
        })),
      },
      null,
      2,
    ) + '\n',
  );
}

if (!existsSync(join(ordererConfigDir, 'orderer.yaml'))) {
  console.error(`network: ${ordererConfigDir}/orderer.yaml is missing; run 'npm run fabric:install' first`);
  process.exit(2);
}
