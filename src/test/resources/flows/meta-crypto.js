// An implementation of the WhatsApp Flows encryption written independently of the bot's Java code,
// following Meta's Node.js endpoint example, so tests can check the bot against it.
//
//   node meta-crypto.js encrypt-request  <public.pem>            stdin: payload JSON  -> {"body", "aesKey", "iv"}
//   node meta-crypto.js decrypt-response <aesKey b64> <iv b64>   stdin: base64 answer -> the answer's JSON
//   node meta-crypto.js decrypt-request  <private.pem> [pass]    stdin: request body  -> {"payload", "aesKey", "iv"}
//   node meta-crypto.js encrypt-response <aesKey b64> <iv b64>   stdin: answer JSON   -> base64 answer
const crypto = require("crypto");
const fs = require("fs");

const [mode, a, b] = process.argv.slice(2);
const input = fs.readFileSync(0, "utf8");
const flip = (iv) => Buffer.from(iv.map((byte) => ~byte & 0xff));
const oaep = { padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" };

function gcm(encrypt, key, iv, data) {
  if (encrypt) {
    const cipher = crypto.createCipheriv("aes-128-gcm", key, iv);
    return Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
  }
  const decipher = crypto.createDecipheriv("aes-128-gcm", key, iv);
  decipher.setAuthTag(data.subarray(-16));
  return Buffer.concat([decipher.update(data.subarray(0, -16)), decipher.final()]);
}

let out;
if (mode === "encrypt-request") {
  const key = crypto.randomBytes(16);
  const iv = crypto.randomBytes(16);
  out = {
    body: {
      encrypted_flow_data: gcm(true, key, iv, Buffer.from(input, "utf8")).toString("base64"),
      encrypted_aes_key: crypto.publicEncrypt({ key: fs.readFileSync(a, "utf8"), ...oaep }, key).toString("base64"),
      initial_vector: iv.toString("base64"),
    },
    aesKey: key.toString("base64"),
    iv: iv.toString("base64"),
  };
} else if (mode === "decrypt-response") {
  out = JSON.parse(gcm(false, Buffer.from(a, "base64"), flip(Buffer.from(b, "base64")), Buffer.from(input.trim(), "base64")).toString("utf8"));
} else if (mode === "decrypt-request") {
  const body = JSON.parse(input);
  const privateKey = crypto.createPrivateKey({ key: fs.readFileSync(a, "utf8"), passphrase: b });
  const key = crypto.privateDecrypt({ key: privateKey, ...oaep }, Buffer.from(body.encrypted_aes_key, "base64"));
  const iv = Buffer.from(body.initial_vector, "base64");
  const payload = JSON.parse(gcm(false, key, iv, Buffer.from(body.encrypted_flow_data, "base64")).toString("utf8"));
  out = { payload, aesKey: key.toString("base64"), iv: iv.toString("base64") };
} else if (mode === "encrypt-response") {
  out = gcm(true, Buffer.from(a, "base64"), flip(Buffer.from(b, "base64")), Buffer.from(input, "utf8")).toString("base64");
} else {
  console.error("unknown mode " + mode);
  process.exit(2);
}
process.stdout.write(typeof out === "string" ? out : JSON.stringify(out));
