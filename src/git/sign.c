/*
 * git/sign.c - SSH signatures of a change's commit and tag, made as git
 * 2.39 makes them with gpg.format=ssh (dipb-git(7), "Signing"), but for
 * the -U below.
 *
 * The key is user.signingKey: a path to a private key, or to a public
 * key whose private half ssh-agent holds ("~" expanded as git does), or
 * a public-key line after "key::" (git still takes a bare "ssh-..." line
 * the same way) given to the program from a private temporary file;
 * without user.signingKey, the first line of what
 * gpg.ssh.defaultKeyCommand prints.  The bytes to sign go in a temporary
 * file, and `<gpg.ssh.program> -Y sign -n git -f <key> [-U] <file>`
 * writes the armored signature to <file>.sig.  git 2.39 passes no -U;
 * dipb adds it for a public-key line, whose private half only ssh-agent
 * can hold: with -U ssh-keygen asks the agent alone and, when the agent
 * lacks the key, says so ("Couldn't find key in agent"), where without
 * it ssh-keygen goes on to read the temporary file as a private key and
 * says "No private key found" for a file the user never named.  The
 * program runs with dipb's standard input and terminal, so that it can
 * ask for a passphrase; what it says on standard error is kept for the
 * error message when it fails.  Nothing is run through a shell, as in
 * git.
 *
 * gpg.format openpgp (git's default) and x509 are refused: dipb verify,
 * and the keys the board lists in dipb.yaml, check SSH signatures only,
 * and a signature no one can check is no better than none.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "internal.h"
#include "../error.h"
#include "../sshkey.h"
#include "../sshsig.h"
#include "../text.h"
#include "../util.h"

extern char **environ;

#define SIG_BEGIN	"-----BEGIN SSH SIGNATURE-----\n"
#define SIG_END		"-----END SSH SIGNATURE-----\n"
#define SIG_MAX		(64 * 1024)	/* an armored signature is < 2 KB */
#define OUT_MAX		(64 * 1024)	/* what a program says that is kept */

static const char how_to[] = "set user.signingKey to your SSH key and "
    "gpg.format to ssh (git config user.signingKey ~/.ssh/id_ed25519; "
    "git config gpg.format ssh)";

/* key's string value in cfg, NULL when unset or empty; borrowed. */
static const char *
get_string(git_config *cfg, const char *key)
{
	const char *v = NULL;

	if (git_config_get_string(&v, cfg, key) < 0) {
		git_error_clear();
		return NULL;
	}
	return v != NULL && v[0] != '\0' ? v : NULL;
}

/*
 * What a program said, fit for one line of an error message: control
 * characters cleaned, lines joined with "; ", the ends trimmed.
 */
static char *
said(const struct dipb_buf *b)
{
	struct dipb_buf line = DIPB_BUF_INIT;
	char *raw = xstrndup(dipb_buf_cstr(b), b->len), *clean, *p, *nl;

	/* A prompt's carriage return ends a line too. */
	for (p = raw; *p != '\0'; p++)
		if (*p == '\r')
			*p = '\n';
	clean = dipb_text_clean(raw, strlen(raw));
	free(raw);
	for (p = clean; *p != '\0'; p = nl != NULL ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		if (nl != NULL)
			*nl = '\0';
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '\0')
			continue;
		if (line.len > 0)
			dipb_buf_puts(&line, "; ");
		dipb_buf_puts(&line, p);
		while (line.len > 0 && (line.ptr[line.len - 1] == ' ' ||
		    line.ptr[line.len - 1] == '\t' ||
		    line.ptr[line.len - 1] == '\r'))
			line.ptr[--line.len] = '\0';
		if (nl == NULL)
			break;
	}
	free(clean);
	if (line.len == 0)
		dipb_buf_puts(&line, "it said nothing");
	return dipb_buf_detach(&line);
}

/* Appends what fd gives to b, up to OUT_MAX bytes; -1 at its end. */
static int
drain(struct dipb_buf *b, int fd)
{
	char tmp[4096];
	ssize_t n;

	n = read(fd, tmp, sizeof(tmp));
	if (n == -1)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	if (n == 0)
		return -1;
	if (b->len < OUT_MAX)
		dipb_buf_put(b, tmp, (size_t)n);
	return 0;
}

/*
 * Runs argv (argv[0] looked up in PATH, no shell) with dipb's standard
 * input: its standard output into out (NULL: into err), its standard
 * error into err.  *ok is 1 when it exited with status 0.  An error:
 * it could not be started at all (what names it).
 */
static const struct dipb_error *
run(int *ok, struct dipb_buf *out, struct dipb_buf *err, const char *what,
    char *const argv[])
{
	const struct dipb_error *e = NULL;
	posix_spawn_file_actions_t fa;
	struct pollfd pfd[2];
	int ep[2] = { -1, -1 }, op[2] = { -1, -1 }, rc, status, i, open_fds;
	char *why;
	pid_t pid;

	*ok = 0;
	if (dipb_pipe_cloexec(ep) == -1 ||
	    (out != NULL && dipb_pipe_cloexec(op) == -1)) {
		e = dipb_error_from_errno("pipe");
		goto done;
	}
	if (posix_spawn_file_actions_init(&fa) != 0) {
		e = dipb_error_from_errno("posix_spawn");
		goto done;
	}
	posix_spawn_file_actions_adddup2(&fa, out != NULL ? op[1] : ep[1], 1);
	posix_spawn_file_actions_adddup2(&fa, ep[1], 2);
	fflush(NULL);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		e = dipb_error_fmt(DIPB_ERR_IDENTITY, "cannot run %s '%s': %s",
		    what, argv[0], strerror(rc));
		goto done;
	}
	close(ep[1]);
	ep[1] = -1;
	if (out != NULL) {
		close(op[1]);
		op[1] = -1;
	}
	pfd[0].fd = ep[0];
	pfd[1].fd = out != NULL ? op[0] : -1;
	open_fds = out != NULL ? 2 : 1;
	while (open_fds > 0) {
		for (i = 0; i < 2; i++)
			pfd[i].events = POLLIN;
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < 2; i++) {
			if (pfd[i].fd < 0 || pfd[i].revents == 0)
				continue;
			if (drain(i == 0 ? err : out, pfd[i].fd) == -1) {
				pfd[i].fd = -1;
				open_fds--;
			}
		}
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			e = dipb_error_from_errno("waitpid");
			goto done;
		}
	*ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	if (!*ok) {
		why = dipb_wait_status(status);
		dipb_buf_printf(err, "\n%s", why);
		free(why);
	}
done:
	for (i = 0; i < 2; i++) {
		if (ep[i] != -1)
			close(ep[i]);
		if (op[i] != -1)
			close(op[i]);
	}
	return e;
}

/*
 * path with a leading "~/" or "~user/" made the home folder, as git's
 * interpolate_path does.  Caller frees; NULL when the user is unknown.
 */
static char *
expand_home(const char *path)
{
	const struct passwd *pw;
	const char *home, *rest;
	char *user;

	if (path[0] != '~')
		return xstrdup(path);
	rest = strchr(path, '/');
	if (rest == NULL)
		rest = path + strlen(path);
	if (rest == path + 1) {
		if ((home = getenv("HOME")) == NULL || home[0] == '\0')
			return NULL;
		return xasprintf("%s%s", home, rest);
	}
	user = xstrndup(path + 1, (size_t)(rest - path - 1));
	pw = getpwnam(user);
	free(user);
	if (pw == NULL)
		return NULL;
	return xasprintf("%s%s", pw->pw_dir, rest);
}

/* A public-key line given as the key itself: "key::..." or "ssh-...". */
static const char *
literal_key(const char *v)
{
	if (strncmp(v, "key::", 5) == 0)
		return v + 5;
	if (strncmp(v, "ssh-", 4) == 0)
		return v;
	return NULL;
}

/* git's blanks (its isspace()): no vertical tab or form feed. */
#define CMDLINE_BLANKS	" \t\n\r"

const char *
dipb_git_split_cmdline(struct dipb_strlist *out, const char *cmd)
{
	struct dipb_buf word = DIPB_BUF_INIT;
	struct dipb_strlist words = DIPB_STRLIST_INIT;
	const char *p = cmd, *why = NULL;
	char quote = 0;
	size_t i;

	while (*p != '\0' && why == NULL) {
		if (quote == 0 && strchr(CMDLINE_BLANKS, *p) != NULL) {
			dipb_strlist_push(&words, dipb_buf_cstr(&word));
			dipb_buf_clear(&word);
			p += strspn(p, CMDLINE_BLANKS);
		} else if (quote == 0 && (*p == '\'' || *p == '"'))
			quote = *p++;
		else if (*p == quote) {
			quote = 0;
			p++;
		} else if (*p == '\\' && quote != '\'' && p[1] == '\0')
			why = "cmdline ends with \\";
		else {
			p += *p == '\\' && quote != '\'';
			dipb_buf_putc(&word, *p++);
		}
	}
	if (why == NULL && quote != 0)
		why = "unclosed quote";
	dipb_strlist_push(&words, dipb_buf_cstr(&word));
	for (i = 0; why == NULL && i < words.n; i++)
		dipb_strlist_push(out, words.v[i]);
	dipb_strlist_release(&words);
	dipb_buf_release(&word);
	return why;
}

/*
 * gpg.ssh.defaultKeyCommand: run without a shell, its words split as
 * git splits them (dipb_git_split_cmdline); the first line it prints
 * must be a public-key line, after "key::" or a bare "ssh-..." one
 * (literal_key), as git takes it.
 */
static const struct dipb_error *
default_key(struct dipb_git_signer *s, const char *cmd)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf out = DIPB_BUF_INIT, msg = DIPB_BUF_INIT;
	struct dipb_strlist argv = DIPB_STRLIST_INIT;
	const char *key, *bad;
	char *first = NULL, *why = NULL;
	int ok;

	if ((bad = dipb_git_split_cmdline(&argv, cmd)) != NULL)
		return dipb_error_fmt(DIPB_ERR_IDENTITY, "cannot sign (%s): "
		    "gpg.ssh.defaultKeyCommand '%s' cannot be split into "
		    "words as git splits it: %s", s->why, cmd, bad);
	xgrow((void **)&argv.v, &argv.cap, argv.n + 1, sizeof(*argv.v));
	argv.v[argv.n] = NULL;
	if ((err = run(&ok, &out, &msg, "gpg.ssh.defaultKeyCommand",
	    argv.v)) != NULL)
		goto done;
	if (!ok) {
		why = said(&msg);
		err = dipb_error_fmt(DIPB_ERR_IDENTITY, "cannot sign (%s): "
		    "gpg.ssh.defaultKeyCommand '%s' failed: %s", s->why, cmd,
		    why);
		goto done;
	}
	first = xstrndup(dipb_buf_cstr(&out), strcspn(dipb_buf_cstr(&out),
	    "\r\n"));
	if ((key = literal_key(first)) == NULL || *key == '\0') {
		err = dipb_error_fmt(DIPB_ERR_IDENTITY, "cannot sign (%s): "
		    "gpg.ssh.defaultKeyCommand '%s' printed no key:: line "
		    "first: %s", s->why, cmd, how_to);
		goto done;
	}
	s->key = xstrdup(key);
	s->literal = 1;
	s->from = "gpg.ssh.defaultKeyCommand";
done:
	free(first);
	free(why);
	dipb_strlist_release(&argv);
	dipb_buf_release(&out);
	dipb_buf_release(&msg);
	return err;
}

/* The key, once signing is on and gpg.format is ssh. */
static const struct dipb_error *
find_key(struct dipb_git_signer *s, git_config *cfg)
{
	const char *v, *key;

	if ((v = get_string(cfg, "user.signingkey")) == NULL) {
		if ((v = get_string(cfg, "gpg.ssh.defaultkeycommand")) != NULL)
			return default_key(s, v);
		return dipb_error_fmt(DIPB_ERR_IDENTITY, "cannot sign (%s): no "
		    "signing key: %s", s->why, how_to);
	}
	s->from = "user.signingKey";
	if ((key = literal_key(v)) != NULL) {
		s->key = xstrdup(key);
		s->literal = 1;
		return NULL;
	}
	if ((s->key = expand_home(v)) == NULL)
		return dipb_error_fmt(DIPB_ERR_IDENTITY, "cannot sign (%s): "
		    "user.signingKey names the home folder of an unknown "
		    "user: '%s'", s->why, v);
	if (access(s->key, R_OK) == -1)
		return dipb_error_fmt(DIPB_ERR_IDENTITY, "cannot sign (%s): "
		    "user.signingKey names no key file that can be read: "
		    "'%s': %s: set it to your SSH private key, or to its .pub "
		    "with the key in ssh-agent", s->why, s->key,
		    strerror(errno));
	return NULL;
}

const struct dipb_error *
dipb_git_signer_load(struct dipb_git_signer *s, struct dipb_repo *r,
    int sign)
{
	const struct dipb_error *err = NULL;
	git_config *cfg = NULL;
	const char *v;
	int commit_sign = 0, tag_sign = 0;

	memset(s, 0, sizeof(*s));
	if (git_repository_config_snapshot(&cfg, r->git) < 0)
		return dipb_error_from_git("cannot read the configuration");
	if ((err = dipb_git_config_bool(&commit_sign, cfg, r->git,
	    "commit.gpgsign", 0)) != NULL ||
	    (err = dipb_git_config_bool(&tag_sign, cfg, r->git,
	    "tag.gpgsign", 0)) != NULL)
		goto done;
	if (!sign && !commit_sign && !tag_sign)
		goto done;
	s->on = 1;
	s->why = xstrdup(sign ? "the board asks this change to be signed" :
	    commit_sign ? "commit.gpgSign is set" : "tag.gpgSign is set");
	v = get_string(cfg, "gpg.format");
	if (v == NULL || strcmp(v, "openpgp") == 0 || strcmp(v, "x509") == 0) {
		err = dipb_error_fmt(DIPB_ERR_IDENTITY, "cannot sign (%s): "
		    "gpg.format is %s%s: dipb signs with SSH keys, the keys "
		    "dipb verify and dipb.yaml know: %s", s->why,
		    v != NULL ? v : "openpgp",
		    v != NULL ? "" : " (git's default)", how_to);
		goto done;
	}
	if (strcmp(v, "ssh") != 0) {
		err = dipb_error_fmt(DIPB_ERR_USAGE, "invalid value of "
		    "gpg.format in the git configuration: '%s' (openpgp, "
		    "x509 or ssh; dipb signs with ssh)", v);
		goto done;
	}
	v = get_string(cfg, "gpg.ssh.program");
	s->program = xstrdup(v != NULL ? v : "ssh-keygen");
	s->program_set = v != NULL;
	if ((err = find_key(s, cfg)) == NULL)
		s->here = v == NULL && strcmp(s->from, "user.signingKey") == 0;
done:
	git_config_free(cfg);
	if (err != NULL)
		dipb_git_signer_release(s);
	return err;
}

void
dipb_git_signer_release(struct dipb_git_signer *s)
{
	free(s->why);
	free(s->program);
	free(s->key);
	memset(s, 0, sizeof(*s));
}

/*
 * A private temporary file holding len bytes of data; *out its path,
 * *slot its dipb_tmp_watch slot: a signal while the program runs (the
 * terminal closed at its passphrase prompt, ^C) removes it, as git
 * removes its signing buffer.
 */
static const struct dipb_error *
temp_file(char **out, int *slot, const char *name, const char *data,
    size_t len)
{
	const struct dipb_error *err;
	char *path;
	int fd;

	path = xasprintf("%s/.dipb_%s_XXXXXX", dipb_tmp_dir(), name);
	if ((fd = mkstemp(path)) == -1) {
		err = dipb_error_from_errno("%s", path);
		free(path);
		return err;
	}
	*slot = dipb_tmp_watch(path);
	err = dipb_write_all(fd, path, data, len, 0);
	if (close(fd) == -1 && err == NULL)
		err = dipb_error_from_errno("%s", path);
	if (err != NULL) {
		unlink(path);
		dipb_tmp_forget(*slot);
		*slot = -1;
		free(path);
		return err;
	}
	*out = path;
	return NULL;
}

/*
 * In-process signing, where it gives what `ssh-keygen -Y sign` gives
 * (dipb-git(7), "Signing"): gpg.ssh.program unset and the key from
 * user.signingKey.  ssh-keygen's order is kept: the public key first
 * (the key:: line, the .pub file, or, for a private key file, its .pub
 * beside it if there is one, else the file's own), then ssh-agent if it
 * holds that key, else the private key file.  In-process, that file must
 * be an unencrypted ed25519 key in OpenSSH's format, agreeing with its
 * .pub, and not open to others when it is the user's own (ssh-keygen
 * refuses such a file).  Anything else (a passphrase, another key type,
 * a certificate, no agent for a key:: line, a file ssh-keygen would
 * refuse or might read otherwise) is left to ssh-keygen, which signs or
 * says why not, as before: 1 when out holds the signature.
 */
#define KEY_MAX		(64 * 1024)

/* The key of the public-key line [p, ...) (first line), into k. */
static int
public_line(struct dipb_sshkey *k, const char *p)
{
	const struct dipb_error *err;
	char *line = xstrndup(p, strcspn(p, "\r\n"));

	err = dipb_sshkey_parse(k, line);
	free(line);
	if (err == NULL)
		return 0;
	dipb_error_free(err);
	return -1;
}

/* The key of the .pub file path into k: 1; 0 no such file; -1 other. */
static int
public_file(struct dipb_sshkey *k, const char *path)
{
	const struct dipb_error *err;
	struct dipb_buf b = DIPB_BUF_INIT;
	struct stat st;
	int rc;

	if (stat(path, &st) == -1 && errno == ENOENT)
		return 0;
	if ((err = dipb_read_file(&b, path, KEY_MAX)) != NULL) {
		rc = -1;
		dipb_error_free(err);
	} else
		rc = public_line(k, dipb_buf_cstr(&b)) == 0 ? 1 : -1;
	dipb_buf_release(&b);
	return rc;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int
sign_here(struct dipb_buf *out, const struct dipb_git_signer *s,
    const char *data, size_t len)
{
	const struct dipb_error *err;
	const char *sock = getenv("SSH_AUTH_SOCK");
	struct dipb_sshkey pub = DIPB_SSHKEY_INIT;
	struct dipb_sshsig_key key;
	struct dipb_buf text = DIPB_BUF_INIT;
	struct stat st;
	char *pubpath = NULL;
	int fd = -1, done = 0, have;

	memset(&key, 0, sizeof(key));
	if (!s->here)
		return 0;
	if (s->literal || ends_with(s->key, ".pub")) {
		/* ssh-agent signs, or ssh-keygen says why not. */
		if ((s->literal ? public_line(&pub, s->key) :
		    public_file(&pub, s->key) == 1 ? 0 : -1) == 0)
			done = dipb_sshsig_agent_sign(out, sock, pub.blob,
			    pub.bloblen, DIPB_SSHSIG_NAMESPACE, data, len);
		goto finish;
	}
	if ((fd = open(s->key, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (st.st_uid == getuid() && (st.st_mode & 077) != 0) ||
	    dipb_read_fd(&text, fd, KEY_MAX) == -1 || text.len >= KEY_MAX ||
	    !dipb_sshsig_key_load(&key, text.ptr, text.len))
		goto finish;
	pubpath = xasprintf("%s.pub", s->key);
	if ((have = public_file(&pub, pubpath)) == -1 || (have == 1 &&
	    (pub.bloblen != sizeof(key.blob) ||
	    memcmp(pub.blob, key.blob, sizeof(key.blob)) != 0)))
		goto finish;
	if (dipb_sshsig_agent_sign(out, sock, key.blob, sizeof(key.blob),
	    DIPB_SSHSIG_NAMESPACE, data, len)) {
		done = 1;
		goto finish;
	}
	if ((err = dipb_sshsig_sign(out, &key, DIPB_SSHSIG_NAMESPACE, data,
	    len)) != NULL) {
		dipb_error_free(err);
		dipb_buf_clear(out);
		goto finish;
	}
	done = 1;
finish:
	if (fd != -1)
		close(fd);
	dipb_sshsig_key_release(&key);
	dipb_sshkey_release(&pub);
	/* The private key's text: wiped. */
	if (text.ptr != NULL)
		OPENSSL_cleanse(text.ptr, text.len);
	dipb_buf_release(&text);
	free(pubpath);
	return done;
}

/* The program that signs, for a message: "gpg.ssh.program 'P'" or ssh-keygen. */
static char *
program_named(const struct dipb_git_signer *s)
{
	return s->program_set ? xasprintf("gpg.ssh.program '%s'",
	    s->program) : xstrdup("ssh-keygen");
}

/*
 * What the program left in sigfile after exiting 0, into out, checked
 * before anything is written (dipb-git(7), "Signing"): a file there, of
 * at most SIG_MAX bytes, holding an armored SSH signature by a key dipb
 * verify can check (a DSA or short RSA key would be bad-signature), that
 * verifies over the len bytes of data in namespace "git" with the
 * verifier of dipb verify (sshsig.h): one verification per signature.
 */
static const struct dipb_error *
program_output(struct dipb_buf *out, const struct dipb_git_signer *s,
    const char *sigfile, const char *data, size_t len)
{
	const struct dipb_error *err, *e;
	struct dipb_sshsig sig;
	struct dipb_sshkey signer = DIPB_SSHKEY_INIT;
	char *prog = program_named(s);
	const char *keyis = s->literal ? "key " : "";

	memset(&sig, 0, sizeof(sig));
	if ((e = dipb_read_file(out, sigfile, SIG_MAX)) != NULL) {
		if (e->code == DIPB_ERR_TOO_LARGE)
			err = dipb_error_fmt(DIPB_ERR_IDENTITY, "cannot sign "
			    "(%s): %s wrote a signature file of more than %d "
			    "bytes: that is no SSH signature", s->why, prog,
			    SIG_MAX);
		else if (access(sigfile, F_OK) == -1 && errno == ENOENT)
			err = dipb_error_fmt(DIPB_ERR_IDENTITY, "cannot sign "
			    "(%s): %s exited 0 but wrote no signature (in "
			    "the file named as its last argument, with .sig "
			    "added, as ssh-keygen -Y sign does)", s->why,
			    prog);
		else
			err = dipb_error_fmt(DIPB_ERR_IDENTITY, "cannot sign "
			    "(%s): cannot read the signature %s wrote: %s",
			    s->why, prog, e->msg);
		dipb_error_free(e);
		goto done;
	}
	if (out->len < sizeof(SIG_BEGIN) + sizeof(SIG_END) ||
	    memcmp(out->ptr, SIG_BEGIN, sizeof(SIG_BEGIN) - 1) != 0 ||
	    memcmp(out->ptr + out->len - (sizeof(SIG_END) - 1), SIG_END,
	    sizeof(SIG_END) - 1) != 0 || memchr(out->ptr, '\0',
	    out->len) != NULL) {
		err = dipb_error_fmt(DIPB_ERR_IDENTITY, "cannot sign (%s): "
		    "%s wrote no SSH signature (no armored \"%s\" block)",
		    s->why, prog, DIPB_SSHSIG_BEGIN);
		goto done;
	}
	if ((e = dipb_sshsig_parse(&sig, out->ptr, out->len)) != NULL) {
		err = dipb_error_fmt(DIPB_ERR_IDENTITY, "cannot sign (%s): "
		    "what %s wrote is %s", s->why, prog, e->msg);
		dipb_error_free(e);
		goto done;
	}
	if ((e = dipb_sshkey_parse_blob(&signer, sig.key, sig.keylen)) !=
	    NULL) {
		err = dipb_error_fmt(DIPB_ERR_IDENTITY, "cannot sign (%s): "
		    "%s signed with a key dipb verify cannot check: %s; the "
		    "key (from %s) must be an ed25519, ECDSA or RSA (2048 "
		    "bits or more) key, and %s must sign with it", s->why,
		    prog, e->msg, s->from, prog);
		dipb_error_free(e);
		goto done;
	}
	if ((e = dipb_sshsig_verify(&sig, DIPB_SSHSIG_NAMESPACE, data,
	    len)) != NULL) {
		err = dipb_error_fmt(DIPB_ERR_IDENTITY, "cannot sign (%s): the "
		    "signature %s made with %s %s'%s' does not verify: %s: "
		    "dipb verify would report the change (bad-signature)",
		    s->why, prog, s->from, keyis, s->key, e->msg);
		dipb_error_free(e);
		goto done;
	}
	err = NULL;
done:
	dipb_sshkey_release(&signer);
	dipb_sshsig_release(&sig);
	free(prog);
	return err;
}

const struct dipb_error *
dipb_git_sign(struct dipb_buf *out, const struct dipb_git_signer *s,
    const char *data, size_t len)
{
	const struct dipb_error *err = NULL;
	struct dipb_buf msg = DIPB_BUF_INIT, line = DIPB_BUF_INIT;
	char *file = NULL, *keyfile = NULL, *sigfile = NULL, *why = NULL;
	char *argv[10];
	size_t n = 0;
	int ok, kslot = -1, fslot = -1, sslot = -1;

	dipb_buf_clear(out);
	if (sign_here(out, s, data, len))
		return NULL;
	if (s->literal) {
		dipb_buf_printf(&line, "%s\n", s->key);
		if ((err = temp_file(&keyfile, &kslot, "signing_key", line.ptr,
		    line.len)) != NULL)
			goto done;
	}
	if ((err = temp_file(&file, &fslot, "signing_buffer", data,
	    len)) != NULL)
		goto done;
	sigfile = xasprintf("%s.sig", file);
	sslot = dipb_tmp_watch(sigfile);
	argv[n++] = s->program;
	argv[n++] = (char *)"-Y";
	argv[n++] = (char *)"sign";
	argv[n++] = (char *)"-n";
	argv[n++] = (char *)"git";
	argv[n++] = (char *)"-f";
	argv[n++] = keyfile != NULL ? keyfile : s->key;
	if (s->literal)
		argv[n++] = (char *)"-U";
	argv[n++] = file;
	argv[n] = NULL;
	if ((err = run(&ok, NULL, &msg, "gpg.ssh.program", argv)) != NULL)
		goto done;
	if (!ok) {
		why = said(&msg);
		err = dipb_error_fmt(DIPB_ERR_IDENTITY, "cannot sign (%s) with "
		    "%s %s'%s': '%s' failed: %s%s", s->why, s->from,
		    s->literal ? "key " : "", s->key, s->program,
		    why, strstr(dipb_buf_cstr(&msg), "usage:") != NULL ?
		    " (SSH signing needs ssh-keygen -Y sign, OpenSSH 8.2 or "
		    "later)" : "; a key with a passphrase needs a terminal to "
		    "type it in, or ssh-agent (ssh-add)");
		goto done;
	}
	err = program_output(out, s, sigfile, data, len);
done:
	if (file != NULL)
		unlink(file);
	if (sigfile != NULL)
		unlink(sigfile);
	if (keyfile != NULL)
		unlink(keyfile);
	dipb_tmp_forget(fslot);
	dipb_tmp_forget(sslot);
	dipb_tmp_forget(kslot);
	if (err != NULL)
		dipb_buf_clear(out);
	free(file);
	free(sigfile);
	free(keyfile);
	free(why);
	dipb_buf_release(&msg);
	dipb_buf_release(&line);
	return err;
}

const struct dipb_error *
dipb_repo_check_sign(struct dipb_repo *r, int sign)
{
	struct dipb_git_signer s;
	const struct dipb_error *err;

	if ((err = dipb_git_signer_load(&s, r, sign)) == NULL)
		dipb_git_signer_release(&s);
	return err;
}
