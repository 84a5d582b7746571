//! A real S3 server on loopback for the tests: moto's (`moto_server`, from PyPI), started per test, filled and read with boto3.
//!
//! The Python is the pinned test environment (`common::python`). Where it
//! cannot be built the test skips with a message on stderr, unless
//! `POLARSDESC_REQUIRE_S3` is set (CI sets it): then it fails.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::Duration;

/// A moto S3 server, stopped when dropped.
pub struct S3Server {
    python: PathBuf,
    child: Child,
    pub port: u16,
    /// The credentials of the tests (any are accepted unless the server
    /// checks them; then those of a user it made).
    key_id: String,
    secret: String,
}

/// The policy of the user of a server that checks credentials: everything,
/// except reading an object whose name starts with `secret` and writing
/// below a prefix `locked/`.
const POLICY: &str = r#"{"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
    {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*/secret*"},
    {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::*/locked/*"}]}"#;

/// Makes that user while the server still takes requests unsigned (its
/// first three), and prints its keys.
const MAKE_USER: &str = "iam = boto3.client('iam', endpoint_url=args[0], aws_access_key_id='x', \
    aws_secret_access_key='x', region_name='us-east-1')
iam.create_user(UserName='tester')
key = iam.create_access_key(UserName='tester')['AccessKey']
iam.put_user_policy(UserName='tester', PolicyName='tests', PolicyDocument=args[1])
print(key['AccessKeyId'], key['SecretAccessKey'])";

/// The port the server says it listens on (`Running on http://127.0.0.1:PORT`);
/// the rest of its log is read on a thread of its own, so that it never
/// blocks on a full pipe.
fn announced_port(stderr: std::process::ChildStderr) -> u16 {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut sender = Some(sender);
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if let Some((_, port)) = line.split_once("Running on http://127.0.0.1:") {
                if let (Some(sender), Ok(port)) = (sender.take(), port.trim().parse::<u16>()) {
                    let _ = sender.send(port);
                }
            }
        }
    });
    receiver
        .recv_timeout(Duration::from_secs(30))
        .expect("moto_server did not say which port it listens on within 30 s")
}

impl S3Server {
    /// Starts a server (checking credentials and [`POLICY`] when
    /// `authenticate`), or says
    /// why not and returns `None` when moto is missing and not required.
    pub fn start(test: &str, authenticate: bool) -> Option<S3Server> {
        let python = super::python::pinned(test, "POLARSDESC_REQUIRE_S3")?;
        let mut command = super::python::command(&python);
        // Port 0: the server takes a free port itself and says which on
        // stderr, so that servers of tests running at once never collide.
        command
            .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", "0"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if authenticate {
            // After the user is made, keys must be known to moto's IAM.
            command.env("INITIAL_NO_AUTH_ACTION_COUNT", "3");
        }
        let mut child = command.spawn().expect("start moto_server");
        let port = announced_port(child.stderr.take().expect("stderr piped"));
        let mut server = S3Server {
            python,
            child,
            port,
            key_id: "polarsdesc-test".into(),
            secret: "polarsdesc-secret".into(),
        };
        if authenticate {
            let output = super::python::command(&server.python)
                .args([
                    "-c",
                    &format!("import sys, boto3\nargs = sys.argv[1:]\n{MAKE_USER}"),
                ])
                .args([&server.endpoint(), POLICY])
                .output()
                .expect("run python");
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            let keys = String::from_utf8(output.stdout).unwrap();
            let (id, secret) = keys.trim().split_once(' ').unwrap();
            (server.key_id, server.secret) = (id.to_string(), secret.to_string());
        }
        Some(server)
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The environment that points polarsdesc (and the AWS tools) at this server.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT_URL", self.endpoint()),
            ("AWS_ALLOW_HTTP", "true".into()),
            ("AWS_ACCESS_KEY_ID", self.key_id.clone()),
            ("AWS_SECRET_ACCESS_KEY", self.secret.clone()),
            ("AWS_REGION", "us-east-1".into()),
        ]
    }

    /// Runs boto3 code with `s3` (a client of this server) and `args` bound;
    /// returns what it printed.
    fn boto(&self, code: &str, args: &[&str]) -> Vec<u8> {
        let program = format!(
            "import sys, boto3\n\
             s3 = boto3.client('s3', endpoint_url='{}', aws_access_key_id='{}', \
             aws_secret_access_key='{}', region_name='us-east-1')\n\
             args = sys.argv[1:]\n{code}",
            self.endpoint(),
            self.key_id,
            self.secret
        );
        let output = super::python::command(&self.python)
            .arg("-c")
            .arg(program)
            .args(args)
            .output()
            .expect("run python");
        assert!(
            output.status.success(),
            "boto3 failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    }

    /// Makes a bucket.
    pub fn create_bucket(&self, bucket: &str) {
        self.boto("s3.create_bucket(Bucket=args[0])", &[bucket]);
    }

    /// Uploads every file of `folder` as `prefix` + its name.
    pub fn upload_folder(&self, folder: &Path, bucket: &str, prefix: &str) {
        self.boto(
            "import os\n\
             for name in sorted(os.listdir(args[0])):\n    \
             s3.upload_file(os.path.join(args[0], name), args[1], args[2] + name)",
            &[folder.to_str().unwrap(), bucket, prefix],
        );
    }

    /// Writes one object.
    pub fn put(&self, bucket: &str, key: &str, file: &Path) {
        self.boto(
            "s3.upload_file(args[0], args[1], args[2])",
            &[file.to_str().unwrap(), bucket, key],
        );
    }

    /// Writes one object with the key `key` (any key, exactly) holding `text`.
    pub fn put_text(&self, bucket: &str, key: &str, text: &str) {
        self.boto(
            "s3.put_object(Bucket=args[0], Key=args[1], Body=args[2].encode())",
            &[bucket, key, text],
        );
    }

    /// The keys below `prefix`, sorted.
    pub fn keys(&self, bucket: &str, prefix: &str) -> Vec<String> {
        let printed = self.boto(
            "pages = s3.get_paginator('list_objects_v2').paginate(Bucket=args[0], Prefix=args[1])\n\
             for page in pages:\n    \
             for item in page.get('Contents', []): print(item['Key'])",
            &[bucket, prefix],
        );
        let mut keys: Vec<String> = String::from_utf8(printed)
            .unwrap()
            .lines()
            .map(String::from)
            .collect();
        keys.sort();
        keys
    }

    /// The bytes of one object.
    pub fn get(&self, bucket: &str, key: &str) -> Vec<u8> {
        self.boto(
            "sys.stdout.buffer.write(s3.get_object(Bucket=args[0], Key=args[1])['Body'].read())",
            &[bucket, key],
        )
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP listener that accepts connections and never answers: a server that
/// hangs. Counts the connections it took.
pub struct SilentServer {
    pub port: u16,
    accepted: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl SilentServer {
    pub fn start() -> SilentServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = std::sync::Arc::clone(&accepted);
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming().flatten() {
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let mut stream = stream;
                let mut buffer = [0u8; 1024];
                let _ = stream.set_read_timeout(Some(Duration::from_millis(10)));
                let _ = stream.read(&mut buffer);
                held.push(stream);
            }
        });
        SilentServer { port, accepted }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn connections(&self) -> usize {
        self.accepted.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// A TCP proxy in front of a server that lets `requests` requests through
/// (counted by the ends of their headers: GETs and HEADs have no body), then
/// closes every connection and refuses new ones: an endpoint that goes down
/// in the middle of a run, at the same moment on every run.
pub struct OutageProxy {
    pub port: u16,
}

impl OutageProxy {
    pub fn start(upstream: u16, requests: usize) -> OutageProxy {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        use std::sync::Arc;
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let seen = Arc::new(AtomicUsize::new(0));
        let down = Arc::new(AtomicBool::new(false));
        std::thread::spawn(move || {
            let mut streams = Vec::new();
            while !down.load(Ordering::SeqCst) {
                let Ok((client, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(2));
                    continue;
                };
                client.set_nonblocking(false).unwrap();
                let server = std::net::TcpStream::connect(("127.0.0.1", upstream)).unwrap();
                streams.push((client.try_clone().unwrap(), server.try_clone().unwrap()));
                let (seen, down) = (Arc::clone(&seen), Arc::clone(&down));
                let (mut from_client, mut to_server) =
                    (client.try_clone().unwrap(), server.try_clone().unwrap());
                std::thread::spawn(move || {
                    let mut buffer = [0u8; 65536];
                    let mut tail: Vec<u8> = Vec::new();
                    while let Ok(read) = std::io::Read::read(&mut from_client, &mut buffer) {
                        if read == 0 || down.load(Ordering::SeqCst) {
                            break;
                        }
                        tail.extend_from_slice(&buffer[..read]);
                        let ends = tail.windows(4).filter(|w| w == b"\r\n\r\n").count();
                        let keep = tail.len().saturating_sub(3);
                        tail.drain(..keep);
                        if seen.fetch_add(ends, Ordering::SeqCst) + ends > requests {
                            down.store(true, Ordering::SeqCst);
                            break;
                        }
                        if std::io::Write::write_all(&mut to_server, &buffer[..read]).is_err() {
                            break;
                        }
                    }
                });
                let (mut from_server, mut to_client) = (server, client);
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut from_server, &mut to_client);
                });
            }
            // Down: every connection closed, the port no longer listened on.
            for (client, server) in streams {
                let _ = client.shutdown(std::net::Shutdown::Both);
                let _ = server.shutdown(std::net::Shutdown::Both);
            }
        });
        OutageProxy { port }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}
