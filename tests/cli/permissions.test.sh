#!/usr/bin/env bash
# The permission options of the command line (-A, --permission, --allow-*) and an app's
# manifest: what init holds, the errors for bad options, a denial's message.
# usage: permissions.test.sh path/to/runtime [runtime options...]
set -u
rtjs=("$@")
here=$(cd "$(dirname "$0")" && pwd)
app="$here/fixtures/perm-app"
. "$here/checks.sh"
held='JSON.stringify(rt.permissions.held())'

run "" -p "$held"
check "no permission option: every permission" \
  eval '[ $status -eq 0 ] && has "$out" "\"listen\":\[\"\*\"\].*\"power\":true"'

run "" --permission -p "$held"
check "--permission alone: nothing" \
  eval '[ $status -eq 0 ] && has "$out" "\"listen\":\[\],\"connect\":\[\],\"raw\":false" && has "$out" "\"spawn\":false,\"power\":false"'

run "" -A -p "$held"
check "-A: every permission" eval '[ $status -eq 0 ] && has "$out" "\"power\":true"'

run "" --allow-net=10.0.2.2:80,:8080 --allow-read=/disk/,/tmp --allow-env=HOME --allow-run -p "$held"
check "--allow-* lists and switches" \
  eval '[ $status -eq 0 ] && has "$out" "\"listen\":\[\"8080\"\],\"connect\":\[\"10.0.2.2:80\"\]" && has "$out" "\"read\":\[\"/disk\",\"/tmp\"\]" && has "$out" "\"env\":\[\"HOME\"\],\"spawn\":true,\"power\":false"'

run "" --permission -e 'rt.powerOff()'
check "a denial names the app, the permission and the option that grants it" \
  eval '[ $status -eq 1 ] && has "$err" "app .init. \(id 1\) may not power the machine off or reboot it \(permission power\): grant it with --allow-power" && has "$err" "ERR_ACCESS_DENIED"'

run "" --permission -e 'rt.spawn({ source: "" })'
check "spawning needs --allow-run" eval '[ $status -eq 1 ] && has "$err" "may not start apps \(permission spawn\): grant it with --allow-run"'

run "" "$app"
check "the app's manifest, with no option: what it asks" \
  eval '[ $status -eq 0 ] && [ "$out" = "{\"listen\":[\"8080\"],\"connect\":[\"10.0.2.2:80\"],\"read\":[\"/disk\"],\"power\":false}" ]'

run "" --allow-net=:1024-65535 --allow-read=/disk/photos "$app"
check "the manifest cut down to what the options allow" \
  eval '[ $status -eq 0 ] && [ "$out" = "{\"listen\":[\"8080\"],\"connect\":[],\"read\":[\"/disk/photos\"],\"power\":false}" ]'

run "" --allow-net=:99999 -e 1
check "a bad list entry is a usage error naming the option" \
  eval '[ $status -eq 2 ] && has "$err" "^rtjs: --allow-net=:99999: .99999. is not a port"'

run "" --allow-read=relative/path -e 1
check "a relative path is a usage error" eval '[ $status -eq 2 ] && has "$err" "is not an absolute path"'

run "" --allow-nett=x -e 1
check "an unknown permission option is a usage error listing the known ones" \
  eval '[ $status -eq 2 ] && has "$err" "unknown permission option .--allow-nett=x." && has "$err" "--allow-read"'

run "" --allow-power=yes -e 1
check "a switch given a value is a usage error" eval '[ $status -eq 2 ] && has "$err" "unknown permission option .--allow-power=yes."'

finish
