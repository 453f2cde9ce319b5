# fish completion for jumpshell. Generated from its parser by
# jumpshell/cli/completegen.py (`python -m jumpshell.cli.completegen --write`): do not edit.

complete -c jumpshell -f

function __jumpshell_subs -a path
    switch $path
        case ''
            printf '%s\n' init key login logout lock status run env shell switch credential-process list whoami audit theme pick tmux completions import demo help
        case 'key'
            printf '%s\n' add rotate remove import
        case 'theme'
            printf '%s\n' list show
        case 'help'
            printf '%s\n' init key login logout lock status run env shell switch credential-process list whoami audit theme pick tmux completions import demo help
        case 'help key'
            printf '%s\n' add rotate remove import
        case 'help theme'
            printf '%s\n' list show
    end
end

function __jumpshell_state -d 'command path, then the positionals after it (-- once past --)'
    set -l line (commandline -cp)
    if test "$line" = "$__jumpshell_line"
        printf '%s\n' $__jumpshell_state
        return
    end
    set -l takes 'init --account-id' 'init --user-name' 'init --mfa-serial' 'init --region' 'key add --jump' 'key rotate --mfa-code' 'key rotate --jump' 'key remove --jump' 'key import --profile' 'key import --jump' 'login --jump' 'login --mfa-code' 'logout --jump' 'run --mfa-code' 'run --region' 'run --duration' 'run --each' 'run --parallel' 'run --tag' 'env --mfa-code' 'env --region' 'env --duration' 'env --format' 'shell --mfa-code' 'shell --region' 'shell --duration' 'switch --mfa-code' 'switch --region' 'switch --duration' 'credential-process --mfa-code' 'credential-process --region' 'credential-process --duration' 'credential-process --jump' 'audit --since' 'tmux --tag' 'tmux --layout' 'tmux --window' 'tmux --session' 'tmux --socket' 'tmux --mfa-code' 'tmux --region' 'tmux --duration' 'import --file'
    set -l many 'run --each'
    set -l many_on 0
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l path ''
    set -l n 0
    set -l skip 0
    for t in $tokens
        if test $skip = 1
            set skip 0
        else if test "$t" = --
            set path --
            break
        else if string match -q -- '-*' $t
            if not string match -q -- '*=*' $t; and contains -- (string trim -- "$path $t") $takes
                set skip 1
            end
            if contains -- (string trim -- "$path $t") $many
                set many_on 1  # run --each A B ...: every word a target, none the first
            end
        else if test $n = 0; and contains -- $t (__jumpshell_subs $path)
            set path (string trim -- "$path $t")
        else if test -z "$path"
            set path shell
            set n 1
        else if test $many_on = 0
            set n (math $n + 1)
        end
    end
    set -g __jumpshell_line $line
    set -g __jumpshell_state $path $n
    printf '%s\n' $path $n
end

function __jumpshell_at -a path -d 'at this command path (not after --)'
    set -l state (__jumpshell_state)
    test "$state[1]" = "$path"
end

function __jumpshell_pos -a path -d 'at this command path, before its first positional'
    set -l state (__jumpshell_state)
    test "$state[1]" = "$path"; and test "$state[2]" = 0
end

function __jumpshell_targets
    command jumpshell __complete targets (commandline -ct) 2>/dev/null
end

function __jumpshell_themes
    command jumpshell __complete themes '' 2>/dev/null
end

function __jumpshell_tags
    command jumpshell __complete tags (commandline -ct) 2>/dev/null
end

function __jumpshell_command -d 'after --: the command completed as fish would'
    set -l tokens (commandline -opc)
    set -l at (contains -i -- -- $tokens)
    set -l rest
    if test $at -lt (count $tokens)
        set rest $tokens[(math $at + 1)..-1]
    end
    complete -C (string join ' ' -- (string escape -- $rest) (commandline -ct))
end

complete -c jumpshell -n '__jumpshell_at --' -a '(__jumpshell_command)'
complete -c jumpshell -n '__jumpshell_pos ""' -a init -d 'write a starter config'
complete -c jumpshell -n '__jumpshell_pos ""' -a key -d 'the jump users long-lived key in the keyring'
complete -c jumpshell -n '__jumpshell_pos ""' -a login -d 'start an MFA session (GetSessionToken)'
complete -c jumpshell -n '__jumpshell_pos ""' -a logout -d 'forget the MFA session and role credentials'
complete -c jumpshell -n '__jumpshell_pos ""' -a lock -d 'forget every session of every jump account and stop the agent'
complete -c jumpshell -n '__jumpshell_pos ""' -a status -d 'MFA session and role credential expiries'
complete -c jumpshell -n '__jumpshell_pos ""' -a run -d 'run one command as a role - run prod -- aws s3 ls'
complete -c jumpshell -n '__jumpshell_pos ""' -a env -d 'print the environment - eval (jumpshell env prod)'
complete -c jumpshell -n '__jumpshell_pos ""' -a shell -d 'open your shell as a role - shell prod (credentials refresh all day)'
complete -c jumpshell -n '__jumpshell_pos ""' -a switch -d 'inside a jumpshell shell - move it to another target in place'
complete -c jumpshell -n '__jumpshell_pos ""' -a credential-process -d 'credential_process JSON for ~/.aws/config'
complete -c jumpshell -n '__jumpshell_pos ""' -a list -d 'accounts and roles'
complete -c jumpshell -n '__jumpshell_pos ""' -a whoami -d 'jump user, MFA session, current target'
complete -c jumpshell -n '__jumpshell_pos ""' -a audit -d 'the log of STS calls'
complete -c jumpshell -n '__jumpshell_pos ""' -a theme -d 'prompt themes - theme list, theme show minimal'
complete -c jumpshell -n '__jumpshell_pos ""' -a pick -d 'choose a target in a table (also jumpshell alone, at a terminal)'
complete -c jumpshell -n '__jumpshell_pos ""' -a tmux -d 'one tmux pane per account - tmux *-prod --layout tiled'
complete -c jumpshell -n '__jumpshell_pos ""' -a completions -d 'print the shell completion script - completions zsh'
complete -c jumpshell -n '__jumpshell_pos ""' -a import -d 'write ~/.aws/configs role profiles as ((account)) tables'
complete -c jumpshell -n '__jumpshell_pos ""' -a demo -d 'try jumpshell on an embedded local AWS (40+ accounts)'
complete -c jumpshell -n '__jumpshell_pos ""' -a help -d 'a verbs help - help run, help key add'
complete -c jumpshell -n '__jumpshell_at ""' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at ""' -l version -d 'show programs version number and exit'
complete -c jumpshell -n '__jumpshell_at ""' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "init"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "init"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "init"' -l account-id -x -d 'the jump accounts 12-digit id'
complete -c jumpshell -n '__jumpshell_at "init"' -l user-name -x -d 'your IAM user name there'
complete -c jumpshell -n '__jumpshell_at "init"' -l mfa-serial -x -d 'your MFA devices ARN (default - arn -aws -iam - -ID -mfa/USER)'
complete -c jumpshell -n '__jumpshell_at "init"' -l region -x -d 'region for STS calls (default - us-east-1)'
complete -c jumpshell -n '__jumpshell_at "init"' -l force -d 'overwrite an existing config'
complete -c jumpshell -n '__jumpshell_pos "key"' -a add -d 'store the key (prompts, or two lines on stdin)'
complete -c jumpshell -n '__jumpshell_pos "key"' -a rotate -d 'create a new key, store it, delete the old one'
complete -c jumpshell -n '__jumpshell_pos "key"' -a remove -d 'delete the stored key'
complete -c jumpshell -n '__jumpshell_pos "key"' -a import -d 'move a key from ~/.aws/credentials into the keyring (checked like add)'
complete -c jumpshell -n '__jumpshell_at "key"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "key"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "key add"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "key add"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "key add"' -l no-check -d 'store without asking AWS whose key it is (offline)'
complete -c jumpshell -n '__jumpshell_at "key add"' -l jump -x -d 'which jump account (default)'
complete -c jumpshell -n '__jumpshell_at "key rotate"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "key rotate"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "key rotate"' -l mfa-code -x -d 'the current MFA code (else a prompt)'
complete -c jumpshell -n '__jumpshell_at "key rotate"' -l delete-unknown -d 'first delete the jump users other key, the one that is not stored'
complete -c jumpshell -n '__jumpshell_at "key rotate"' -l jump -x -d 'which jump account (default)'
complete -c jumpshell -n '__jumpshell_at "key remove"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "key remove"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "key remove"' -l jump -x -d 'which jump account (default)'
complete -c jumpshell -n '__jumpshell_at "key import"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "key import"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "key import"' -l profile -r -F -d 'the ~/.aws/credentials profile (default - aws_profile, else default)'
complete -c jumpshell -n '__jumpshell_at "key import"' -l yes -d 'then delete it from the plaintext file without asking (a backup is kept)'
complete -c jumpshell -n '__jumpshell_at "key import"' -l jump -x -d 'which jump account (default)'
complete -c jumpshell -n '__jumpshell_at "login"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "login"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "login"' -l jump -x -d 'which jump account (default)'
complete -c jumpshell -n '__jumpshell_at "login"' -l mfa-code -x -d 'the current MFA code (else mfa_command, else a prompt)'
complete -c jumpshell -n '__jumpshell_at "logout"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "logout"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "logout"' -l jump -x -d 'which jump account (default)'
complete -c jumpshell -n '__jumpshell_at "lock"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "lock"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "status"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "status"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "status"' -l json -d 'JSON, times as ISO 8601 (as AWS_CREDENTIAL_EXPIRATION)'
complete -c jumpshell -n '__jumpshell_at "run"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "run"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "run"' -l mfa-code -x -d 'the current MFA code (else mfa_command, else a prompt)'
complete -c jumpshell -n '__jumpshell_at "run"' -l region -x -d 'region for the target (default - the accounts)'
complete -c jumpshell -n '__jumpshell_at "run"' -l duration -x -d 'role session length, e.g. 30m (AWS caps it at 1h)'
complete -c jumpshell -n '__jumpshell_at "run"' -l yes -d 'skip the production confirmation'
complete -c jumpshell -n '__jumpshell_at "run"' -l each -x -a '(__jumpshell_targets)' -d 'run CMD once per target - names, globs (*-prod), with --tag, --all, ...'
complete -c jumpshell -n '__jumpshell_at "run"' -l parallel -x -d 'with --each - N at a time'
complete -c jumpshell -n '__jumpshell_at "run"' -l tag -x -a '(__jumpshell_tags)' -d 'KEY=VALUE, e.g. team=payments'
complete -c jumpshell -n '__jumpshell_at "run"' -l production -d 'production accounts only'
complete -c jumpshell -n '__jumpshell_at "run"' -l no-production -d 'non-production accounts only'
complete -c jumpshell -n '__jumpshell_at "run"' -l all -d 'every account (its first role)'
complete -c jumpshell -n '__jumpshell_at "run"' -l refresh -d 'give CMD the agents credential endpoint (outlives 1h)'
complete -c jumpshell -n '__jumpshell_pos "run"' -a '(__jumpshell_targets)'
complete -c jumpshell -n '__jumpshell_at "env"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "env"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "env"' -l mfa-code -x -d 'the current MFA code (else mfa_command, else a prompt)'
complete -c jumpshell -n '__jumpshell_at "env"' -l region -x -d 'region for the target (default - the accounts)'
complete -c jumpshell -n '__jumpshell_at "env"' -l duration -x -d 'role session length, e.g. 30m (AWS caps it at 1h)'
complete -c jumpshell -n '__jumpshell_at "env"' -l yes -d 'skip the production confirmation'
complete -c jumpshell -n '__jumpshell_at "env"' -l format -x -a 'sh fish json dotenv' -d 'shell syntax or file format (sh)'
complete -c jumpshell -n '__jumpshell_at "env"' -l unset -d 'print what removes every variable env sets (sh or fish), no TARGET'
complete -c jumpshell -n '__jumpshell_pos "env"' -a '(__jumpshell_targets)'
complete -c jumpshell -n '__jumpshell_at "shell"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "shell"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "shell"' -l mfa-code -x -d 'the current MFA code (else mfa_command, else a prompt)'
complete -c jumpshell -n '__jumpshell_at "shell"' -l region -x -d 'region for the target (default - the accounts)'
complete -c jumpshell -n '__jumpshell_at "shell"' -l duration -x -d 'role session length, e.g. 30m (AWS caps it at 1h)'
complete -c jumpshell -n '__jumpshell_at "shell"' -l yes -d 'skip the production confirmation'
complete -c jumpshell -n '__jumpshell_at "shell"' -l static -d 'plain AWS_* keys (they end with the role session, 1h) instead of the agents refreshing endpoint'
complete -c jumpshell -n '__jumpshell_pos "shell"' -a '(__jumpshell_targets)'
complete -c jumpshell -n '__jumpshell_at "switch"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "switch"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "switch"' -l mfa-code -x -d 'the current MFA code (else mfa_command, else a prompt)'
complete -c jumpshell -n '__jumpshell_at "switch"' -l region -x -d 'region for the target (default - the accounts)'
complete -c jumpshell -n '__jumpshell_at "switch"' -l duration -x -d 'role session length, e.g. 30m (AWS caps it at 1h)'
complete -c jumpshell -n '__jumpshell_at "switch"' -l yes -d 'skip the production confirmation'
complete -c jumpshell -n '__jumpshell_pos "switch"' -a '(__jumpshell_targets)'
complete -c jumpshell -n '__jumpshell_at "credential-process"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "credential-process"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "credential-process"' -l mfa-code -x -d 'the current MFA code (else mfa_command, else a prompt)'
complete -c jumpshell -n '__jumpshell_at "credential-process"' -l region -x -d 'region for the target (default - the accounts)'
complete -c jumpshell -n '__jumpshell_at "credential-process"' -l duration -x -d 'role session length, e.g. 30m (AWS caps it at 1h)'
complete -c jumpshell -n '__jumpshell_at "credential-process"' -l yes -d 'skip the production confirmation (for scripts; not in ~/.aws/config - there, confirm once on the terminal and it holds as long as the role credentials)'
complete -c jumpshell -n '__jumpshell_at "credential-process"' -l session -d 'the jump users MFA session instead of a targets role'
complete -c jumpshell -n '__jumpshell_at "credential-process"' -l jump -x -d 'which jump account (with --session)'
complete -c jumpshell -n '__jumpshell_pos "credential-process"' -a '(__jumpshell_targets)'
complete -c jumpshell -n '__jumpshell_at "list"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "list"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "list"' -l json -d 'one JSON array, for scripts'
complete -c jumpshell -n '__jumpshell_at "list"' -l skipped -d 'the ~/.aws/config profiles that are not targets, each with why'
complete -c jumpshell -n '__jumpshell_at "whoami"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "whoami"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "audit"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "audit"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "audit"' -l since -x -d 'only the last span of time, e.g. 1d, 3h'
complete -c jumpshell -n '__jumpshell_at "audit"' -l json -d 'one JSON object a line'
complete -c jumpshell -n '__jumpshell_pos "theme"' -a list -d 'the shipped themes and yours; * marks (defaults) theme'
complete -c jumpshell -n '__jumpshell_pos "theme"' -a show -d 'sample prefixes for each environment and a nested shell'
complete -c jumpshell -n '__jumpshell_at "theme"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "theme"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "theme list"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "theme list"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "theme show"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "theme show"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "theme show"' -l no-color -d 'plain labels, as NO_COLOR gives'
complete -c jumpshell -n '__jumpshell_pos "theme show"' -a '(__jumpshell_themes)'
complete -c jumpshell -n '__jumpshell_at "pick"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "pick"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "pick"' -l print -d 'write the chosen target to stdout, launch nothing'
complete -c jumpshell -n '__jumpshell_at "tmux"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "tmux"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "tmux"' -l tag -x -a '(__jumpshell_tags)' -d 'KEY=VALUE, e.g. team=payments'
complete -c jumpshell -n '__jumpshell_at "tmux"' -l production -d 'production accounts only'
complete -c jumpshell -n '__jumpshell_at "tmux"' -l no-production -d 'non-production accounts only'
complete -c jumpshell -n '__jumpshell_at "tmux"' -l all -d 'every account (its first role)'
complete -c jumpshell -n '__jumpshell_at "tmux"' -l layout -x -a 'tiled even-horizontal even-vertical main-vertical' -d 'tmux layout (tiled)'
complete -c jumpshell -n '__jumpshell_at "tmux"' -l window -x -d 'the windows name (default - the selection)'
complete -c jumpshell -n '__jumpshell_at "tmux"' -l session -x -d 'the new sessions name (outside tmux)'
complete -c jumpshell -n '__jumpshell_at "tmux"' -l detach -d 'outside tmux - do not attach; inside - stay here'
complete -c jumpshell -n '__jumpshell_at "tmux"' -l sync -d 'synchronize-panes - keys typed in one pane go to all (asks if any is production)'
complete -c jumpshell -n '__jumpshell_at "tmux"' -l socket -x -d 'a tmux server of its own - -L name or -S path (JUMPSHELL_TMUX_SOCKET)'
complete -c jumpshell -n '__jumpshell_at "tmux"' -l mfa-code -x -d 'the current MFA code (else mfa_command, else a prompt)'
complete -c jumpshell -n '__jumpshell_at "tmux"' -l region -x -d 'region for every pane (default - each accounts)'
complete -c jumpshell -n '__jumpshell_at "tmux"' -l duration -x -d 'role session length, e.g. 30m (AWS caps it at 1h)'
complete -c jumpshell -n '__jumpshell_at "tmux"' -l yes -d 'skip the production confirmation'
complete -c jumpshell -n '__jumpshell_at "tmux"' -a '(__jumpshell_targets)'
complete -c jumpshell -n '__jumpshell_at "completions"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "completions"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_pos "completions"' -a 'bash zsh fish'
complete -c jumpshell -n '__jumpshell_at "import"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "import"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "import"' -l file -r -F -d 'an AWS config file (default - AWS_CONFIG_FILE)'
complete -c jumpshell -n '__jumpshell_at "import"' -l yes -d 'write without asking'
complete -c jumpshell -n '__jumpshell_pos "import"' -a 'aws-config'
complete -c jumpshell -n '__jumpshell_at "demo"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "demo"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_pos "demo"' -a 'code'
complete -c jumpshell -n '__jumpshell_pos "help"' -a init -d 'write a starter config'
complete -c jumpshell -n '__jumpshell_pos "help"' -a key -d 'the jump users long-lived key in the keyring'
complete -c jumpshell -n '__jumpshell_pos "help"' -a login -d 'start an MFA session (GetSessionToken)'
complete -c jumpshell -n '__jumpshell_pos "help"' -a logout -d 'forget the MFA session and role credentials'
complete -c jumpshell -n '__jumpshell_pos "help"' -a lock -d 'forget every session of every jump account and stop the agent'
complete -c jumpshell -n '__jumpshell_pos "help"' -a status -d 'MFA session and role credential expiries'
complete -c jumpshell -n '__jumpshell_pos "help"' -a run -d 'run one command as a role - run prod -- aws s3 ls'
complete -c jumpshell -n '__jumpshell_pos "help"' -a env -d 'print the environment - eval (jumpshell env prod)'
complete -c jumpshell -n '__jumpshell_pos "help"' -a shell -d 'open your shell as a role - shell prod (credentials refresh all day)'
complete -c jumpshell -n '__jumpshell_pos "help"' -a switch -d 'inside a jumpshell shell - move it to another target in place'
complete -c jumpshell -n '__jumpshell_pos "help"' -a credential-process -d 'credential_process JSON for ~/.aws/config'
complete -c jumpshell -n '__jumpshell_pos "help"' -a list -d 'accounts and roles'
complete -c jumpshell -n '__jumpshell_pos "help"' -a whoami -d 'jump user, MFA session, current target'
complete -c jumpshell -n '__jumpshell_pos "help"' -a audit -d 'the log of STS calls'
complete -c jumpshell -n '__jumpshell_pos "help"' -a theme -d 'prompt themes - theme list, theme show minimal'
complete -c jumpshell -n '__jumpshell_pos "help"' -a pick -d 'choose a target in a table (also jumpshell alone, at a terminal)'
complete -c jumpshell -n '__jumpshell_pos "help"' -a tmux -d 'one tmux pane per account - tmux *-prod --layout tiled'
complete -c jumpshell -n '__jumpshell_pos "help"' -a completions -d 'print the shell completion script - completions zsh'
complete -c jumpshell -n '__jumpshell_pos "help"' -a import -d 'write ~/.aws/configs role profiles as ((account)) tables'
complete -c jumpshell -n '__jumpshell_pos "help"' -a demo -d 'try jumpshell on an embedded local AWS (40+ accounts)'
complete -c jumpshell -n '__jumpshell_pos "help"' -a help -d 'a verbs help - help run, help key add'
complete -c jumpshell -n '__jumpshell_at "help"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help init"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help init"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_pos "help key"' -a add -d 'store the key (prompts, or two lines on stdin)'
complete -c jumpshell -n '__jumpshell_pos "help key"' -a rotate -d 'create a new key, store it, delete the old one'
complete -c jumpshell -n '__jumpshell_pos "help key"' -a remove -d 'delete the stored key'
complete -c jumpshell -n '__jumpshell_pos "help key"' -a import -d 'move a key from ~/.aws/credentials into the keyring (checked like add)'
complete -c jumpshell -n '__jumpshell_at "help key"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help key"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help key add"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help key add"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help key rotate"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help key rotate"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help key remove"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help key remove"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help key import"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help key import"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help login"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help login"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help logout"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help logout"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help lock"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help lock"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help status"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help status"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help run"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help run"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help env"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help env"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help shell"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help shell"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help switch"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help switch"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help credential-process"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help credential-process"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help list"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help list"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help whoami"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help whoami"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help audit"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help audit"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_pos "help theme"' -a list -d 'the shipped themes and yours; * marks (defaults) theme'
complete -c jumpshell -n '__jumpshell_pos "help theme"' -a show -d 'sample prefixes for each environment and a nested shell'
complete -c jumpshell -n '__jumpshell_at "help theme"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help theme"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help theme list"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help theme list"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help theme show"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help theme show"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help pick"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help pick"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help tmux"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help tmux"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_at "help completions"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help completions"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_pos "help completions"' -a 'bash zsh fish'
complete -c jumpshell -n '__jumpshell_at "help import"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help import"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_pos "help import"' -a 'aws-config'
complete -c jumpshell -n '__jumpshell_at "help demo"' -s h -l help -d 'show this help message and exit'
complete -c jumpshell -n '__jumpshell_at "help demo"' -l debug -d 'show tracebacks'
complete -c jumpshell -n '__jumpshell_pos "help demo"' -a 'code'
complete -c jumpshell -n '__jumpshell_pos ""' -a '(__jumpshell_targets)'
